#include "logging.h"

Q_LOGGING_CATEGORY(lcRde, "cse.rde", QtInfoMsg)
Q_LOGGING_CATEGORY(lcVcd, "cse.vcd", QtInfoMsg)
Q_LOGGING_CATEGORY(lcServer, "cse.server", QtInfoMsg)
Q_LOGGING_CATEGORY(lcBackup, "cse.backup", QtInfoMsg)
Q_LOGGING_CATEGORY(lcItems, "cse.items", QtInfoMsg)
Q_LOGGING_CATEGORY(lcSecrets, "cse.secrets", QtInfoMsg)
Q_LOGGING_CATEGORY(lcSim, "cse.sim", QtInfoMsg)
Q_LOGGING_CATEGORY(lcHttp, "cse.http", QtInfoMsg)
