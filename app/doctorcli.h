// `cse-server doctor`: the site checks of server/doctor.h on the command line.
#pragma once

#include <QStringList>
#include <QTextStream>

namespace cse::app {
int doctorCommand(const QStringList &args, QTextStream &out, QTextStream &err);
} // namespace cse::app
