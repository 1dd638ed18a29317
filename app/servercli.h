// Headless entry point shared by cse-server and `cse-console --server`.
#pragma once

namespace cse::app {
int runServerCli(int argc, char **argv);
// True when argv asks for the headless part (a command such as backup or
// verify as the first argument, or --server, --backup, --restore): the one
// list that both cse-server and cse-console dispatch on.
bool wantsServerCli(int argc, char **argv);
} // namespace cse::app
