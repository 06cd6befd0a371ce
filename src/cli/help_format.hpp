// How --help looks, in one place: every option's value named by one short label (INT, SECONDS, ADDR…,
// never CLI11's "INT:INT in [1 - 100000]" or "N=10000"), its default stated one way, "(default: X)", at
// the end of its description, and every subcommand's help ending with the global options it accepts.
#pragma once
#include <CLI/CLI.hpp>
#include <string>

namespace nt::cli {

class HelpFormatter : public CLI::Formatter {
 public:
  std::string make_option_opts(const CLI::Option* opt) const override;
  std::string make_option_desc(const CLI::Option* opt) const override;
  std::string make_footer(const CLI::App* app) const override;
};

// The label part of CLI11's type name: "INT:INT in [1 - 100000]" → "INT", "FLOAT:POSITIVE" → "FLOAT".
std::string short_type_label(const std::string& type_name);

}  // namespace nt::cli
