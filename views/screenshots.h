// `cse-console --demo --screenshots DIR`: once the demo site shows its
// clusters (and replicas, when they run), saves replicas.png, clusters.png
// and wizard.png into DIR and quits. Used by `make screenshots` under Xvfb.
#pragma once

#include <QString>

namespace cse::views {

class MainWindow;
void takeScreenshots(MainWindow *window, const QString &dir, int timeoutMs = 90000);

} // namespace cse::views
