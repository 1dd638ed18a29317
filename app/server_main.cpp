// cse-server: the headless replica, linked against the core only.
#include "servercli.h"

int main(int argc, char **argv)
{
    return cse::app::runServerCli(argc, argv);
}
