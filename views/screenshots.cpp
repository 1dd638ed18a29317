#include "screenshots.h"

#include "clustersview.h"
#include "createwizard.h"
#include "items/clustermodel.h"
#include "items/replicamodel.h"
#include "mainwindow.h"
#include "replicasview.h"
#include "rde/cluster.h"
#include "site/demosite.h"
#include "site/site.h"

#include <QApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QComboBox>
#include <QLineEdit>
#include <QTabWidget>
#include <QTableView>
#include <QTextStream>
#include <QTimer>

namespace cse::views {

void takeScreenshots(MainWindow *window, const QString &dir, int timeoutMs)
{
    QDir().mkpath(dir);
    auto clock = std::make_shared<QElapsedTimer>();
    clock->start();
    auto *timer = new QTimer(window);
    timer->setInterval(500);
    auto step = std::make_shared<int>(0);
    QObject::connect(timer, &QTimer::timeout, window, [window, dir, clock, timer, step, timeoutMs] {
        auto save = [&](QWidget *w, const QString &name) {
            const QString path = QDir(dir).filePath(name);
            if (!w->grab().save(path))
                QTextStream(stderr) << "screenshots: cannot write " << path << "\n";
            else
                QTextStream(stdout) << "screenshots: wrote " << path << "\n";
        };
        auto *tabs = window->findChild<QTabWidget *>(QStringLiteral("tabs"));
        const bool haveClusters = window->clusterModel()->rowCount() > 0;
        int replicasWanted = 0;
        if (window->demoSite())
            for (const QString &name : window->demoSite()->replicaNames())
                replicasWanted += window->demoSite()->isReplicaRunning(name) ? 1 : 0;
        // Replicas running (not just registered), and no cluster waiting for a server.
        const bool haveReplicas = site::ReplicaTracker::tolerance(window->site()->replicas()).live >= replicasWanted
            && std::none_of(window->site()->clusters().cbegin(), window->site()->clusters().cend(),
                            [](const rde::DefinedEntity &e) { return rde::Cluster(e.entity).state().isEmpty(); });
        const bool late = clock->elapsed() > timeoutMs;
        if (*step == 0 && (late || (haveClusters && haveReplicas))) {
            if (!haveClusters) {
                QTextStream(stderr) << "screenshots: no clusters appeared: " << window->statusText() << "\n";
                timer->stop();
                QApplication::exit(1);
                return;
            }
            QTextStream(stdout) << "screenshots: after " << clock->elapsed() << " ms\n";
            tabs->setCurrentWidget(window->replicasView());
            *step = 1;
            return; // let it paint (and the heartbeat ages tick)
        }
        if (*step == 1) {
            save(window, QStringLiteral("replicas.png"));
            tabs->setCurrentWidget(window->clustersView());
            window->clustersView()->table()->selectRow(0);
            *step = 2;
            return;
        }
        if (*step == 2) {
            save(window, QStringLiteral("clusters.png"));
            window->clustersView()->createCluster();
            if (auto *wizard = window->findChild<CreateWizard *>(QStringLiteral("createWizard"))) {
                if (auto *name = wizard->findChild<QLineEdit *>(QStringLiteral("wizName")))
                    name->setText(QStringLiteral("acme-analytics"));
            }
            *step = 3;
            return;
        }
        if (*step == 3) {
            auto *wizard = window->findChild<CreateWizard *>(QStringLiteral("createWizard"));
            auto *network = wizard ? wizard->findChild<QComboBox *>(QStringLiteral("wizNetwork")) : nullptr;
            if (network && network->count() == 0 && !late)
                return; // VDCs and networks are still being read
            if (wizard) {
                wizard->next();
                wizard->next(); // the demo site issues the owner's token now
            }
            *step = 4;
            return;
        }
        if (*step == 4) {
            auto *wizard = window->findChild<CreateWizard *>(QStringLiteral("createWizard"));
            auto *token = wizard ? wizard->findChild<QLineEdit *>(QStringLiteral("wizToken")) : nullptr;
            if (token && token->text().isEmpty() && !late)
                return;
            if (wizard)
                wizard->next();
            *step = 5;
            return;
        }
        if (*step == 5) {
            if (auto *wizard = window->findChild<CreateWizard *>(QStringLiteral("createWizard"))) {
                save(wizard, QStringLiteral("wizard.png"));
                wizard->reject();
            }
            timer->stop();
            window->close();
            QApplication::exit(0);
        }
    });
    timer->start();
}

} // namespace cse::views
