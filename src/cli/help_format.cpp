#include "cli/help_format.hpp"

#include <fmt/format.h>

#include <sstream>

namespace nt::cli {

std::string short_type_label(const std::string& type_name) {
  return type_name.substr(0, type_name.find_first_of(": "));
}

std::string HelpFormatter::make_option_opts(const CLI::Option* opt) const {
  if (!opt->get_option_text().empty()) return " " + opt->get_option_text();
  std::string out;
  if (opt->get_type_size() != 0) {
    if (!opt->get_type_name().empty()) out += " " + short_type_label(opt->get_type_name());
    if (opt->get_expected_max() == CLI::detail::expected_max_vector_size) out += " ...";
    if (opt->get_required()) out += " REQUIRED";
  }
  return out;
}

std::string HelpFormatter::make_option_desc(const CLI::Option* opt) const {
  std::string desc = opt->get_description();
  const std::string& def = opt->get_default_str();
  if (!def.empty() && opt->get_type_size() != 0 && desc.find("default") == std::string::npos)
    desc += fmt::format(" (default: {})", def);
  return desc;
}

namespace {
bool is_global_for_subcommands(const CLI::Option* opt) {
  if (opt->get_group().empty()) return false;  // hidden
  const std::string name = opt->get_name();
  return name != "--help" && name != "--version" && name != "--install-links" && name != "--force";
}
}  // namespace

// A subcommand's help lists the global options too: they work before or after its name.
std::string HelpFormatter::make_footer(const CLI::App* app) const {
  const CLI::App* root = app;
  while (root->get_parent()) root = root->get_parent();
  std::string own = CLI::Formatter::make_footer(app);
  if (root == app) return own;
  std::ostringstream out;
  out << "Global options (before or after the command):\n";
  for (const CLI::Option* opt : root->get_options({})) {
    if (!is_global_for_subcommands(opt)) continue;
    CLI::detail::format_help(out, make_option_name(opt, false) + make_option_opts(opt), make_option_desc(opt),
                             get_column_width());
  }
  return out.str() + own;
}

}  // namespace nt::cli
