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

#include <QString>

namespace cse {

// Text a tenant wrote (a cluster's name, phase or message, an owner id) as
// it may appear in a log line or an error message: in double quotes, with
// quotes, backslashes and every control character escaped (a newline cannot
// start a forged log line), cut to `maxChars` characters with the number of
// characters left out. The one way the server prints such text.
QString quoteTenant(const QString &text, int maxChars = 80);

} // namespace cse
