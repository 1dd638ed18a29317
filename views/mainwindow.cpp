#include "mainwindow.h"

#include "rde/types.h"

#include <QLabel>
#include <QStatusBar>
#include <QVBoxLayout>

namespace cse::views {

MainWindow::MainWindow(QWidget *parent)
    : QMainWindow(parent)
{
    setObjectName(QStringLiteral("mainWindow"));
    setWindowTitle(tr("CSE Console"));
    auto *central = new QWidget(this);
    auto *layout = new QVBoxLayout(central);
    m_status = new QLabel(central);
    m_status->setObjectName(QStringLiteral("siteStatus"));
    m_status->setWordWrap(true);
    QStringList types;
    for (const rde::TypeInfo &t : rde::knownTypes())
        types << t.ref.id();
    m_status->setText(tr("Not connected.\n\nEntity types this console understands:\n%1").arg(types.join(QLatin1Char('\n'))));
    layout->addWidget(m_status);
    setCentralWidget(central);
    resize(900, 600);
}

void MainWindow::showDemoStatus()
{
    m_status->setText(tr("Demo site: the embedded simulator (vcd-sim) and the server replicas are not part of this "
                         "build yet, so there is no site to connect to. See README.md for what exists today."));
    statusBar()->showMessage(tr("Demo site unavailable in this build"));
}

} // namespace cse::views
