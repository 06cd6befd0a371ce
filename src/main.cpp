// nettool: one binary, many network tools. Everything lives in cli::run_main; this only names the table.
#include "cli/app.hpp"
#include "subcommands/registry.hpp"

int main(int argc, char** argv) { return nt::cli::run_main(argc, argv, nt::command_table()); }
