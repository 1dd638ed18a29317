// One logging category per layer; enable with QT_LOGGING_RULES="cse.vcd.debug=true".
#pragma once

#include <QLoggingCategory>

Q_DECLARE_LOGGING_CATEGORY(lcRde)     // cse.rde     entity model, schemas, capiYaml
Q_DECLARE_LOGGING_CATEGORY(lcVcd)     // cse.vcd     REST client
Q_DECLARE_LOGGING_CATEGORY(lcServer)  // cse.server  replica, reconciler
Q_DECLARE_LOGGING_CATEGORY(lcBackup)  // cse.backup  archives
Q_DECLARE_LOGGING_CATEGORY(lcItems)   // cse.items   item models
Q_DECLARE_LOGGING_CATEGORY(lcSecrets) // cse.secrets credential stores
Q_DECLARE_LOGGING_CATEGORY(lcSim)     // cse.sim     vcd-sim
Q_DECLARE_LOGGING_CATEGORY(lcHttp)    // cse.http    the HTTP server (vcd-sim, health endpoint)
