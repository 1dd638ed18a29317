// Headless entry point shared by cse-server and `cse-console --server`.
#pragma once

namespace cse::app {
int runServerCli(int argc, char **argv);
} // namespace cse::app
