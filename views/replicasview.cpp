#include "replicasview.h"

#include "items/replicamodel.h"
#include "site/site.h"
#include "tonedelegate.h"

#include <QChart>
#include <QChartView>
#include <QDateTime>
#include <QDateTimeAxis>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineSeries>
#include <QSplitter>
#include <QTableView>
#include <QTimer>
#include <QValueAxis>
#include <QVBoxLayout>

namespace cse::views {

ReplicasView::ReplicasView(site::Site *site, QWidget *parent)
    : QWidget(parent), m_site(site)
{
    setObjectName(QStringLiteral("replicasView"));
    m_model = new items::ReplicaModel(this);
    m_model->setSite(site);

    auto *layout = new QVBoxLayout(this);
    m_banner = new QLabel(this);
    m_banner->setObjectName(QStringLiteral("haBanner"));
    m_banner->setWordWrap(true);
    m_banner->setTextFormat(Qt::PlainText);
    m_banner->setMargin(6);
    layout->addWidget(m_banner);

    m_table = new QTableView(this);
    m_table->setObjectName(QStringLiteral("replicaTable"));
    m_table->setAccessibleName(tr("Server replicas"));
    m_table->setModel(m_model);
    m_table->setItemDelegate(new ToneDelegate(items::ReplicaModel::ToneRole, m_table));
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->verticalHeader()->setVisible(false);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    connect(m_model, &QAbstractItemModel::rowsInserted, m_table, &QTableView::resizeColumnsToContents);
    for (int column : {items::ReplicaModel::State, items::ReplicaModel::Heartbeat, items::ReplicaModel::Fenced})
        m_table->horizontalHeader()->setSectionResizeMode(column, QHeaderView::ResizeToContents);

    auto *lower = new QHBoxLayout;
    auto *chart = new QChart;
    chart->setTitle(tr("Live replicas and takeovers, last hour"));
    m_live = new QLineSeries(chart);
    m_live->setName(tr("Live replicas"));
    m_takeovers = new QLineSeries(chart);
    m_takeovers->setName(tr("Takeovers (total)"));
    chart->addSeries(m_live);
    chart->addSeries(m_takeovers);
    m_x = new QDateTimeAxis(chart);
    m_x->setFormat(QStringLiteral("HH:mm"));
    m_y = new QValueAxis(chart);
    m_y->setLabelFormat(QStringLiteral("%d"));
    m_y->setRange(0, 4);
    chart->addAxis(m_x, Qt::AlignBottom);
    chart->addAxis(m_y, Qt::AlignLeft);
    for (QLineSeries *s : {m_live, m_takeovers}) {
        s->attachAxis(m_x);
        s->attachAxis(m_y);
    }
    m_chart = new QChartView(chart, this);
    m_chart->setObjectName(QStringLiteral("replicaChart"));
    m_chart->setAccessibleName(tr("Chart of live replicas and takeovers"));
    m_chart->setMinimumHeight(220);
    m_settings = new QLabel(this);
    m_settings->setObjectName(QStringLiteral("haSettings"));
    m_settings->setAlignment(Qt::AlignTop | Qt::AlignLeft);
    m_settings->setTextFormat(Qt::PlainText);
    m_settings->setMinimumWidth(260);
    lower->addWidget(m_chart, 1);
    lower->addWidget(m_settings);

    auto *split = new QSplitter(Qt::Vertical, this);
    auto *bottom = new QWidget(split);
    bottom->setLayout(lower);
    split->addWidget(m_table);
    split->addWidget(bottom);
    layout->addWidget(split, 1);

    // Heartbeat ages tick live; liveness is judged on our own clock.
    m_tick = new QTimer(this);
    m_tick->setInterval(1000);
    connect(m_tick, &QTimer::timeout, this, [this] {
        m_site->tick();
        sample();
    });
    m_tick->start();
    connect(site, &site::Site::replicasChanged, this, &ReplicasView::updateBanner);
    connect(site, &site::Site::refreshed, this, &ReplicasView::updateBanner);
    connect(site, &site::Site::disconnected, this, &ReplicasView::updateBanner);
    connect(site, &site::Site::configChanged, this, &ReplicasView::updateSettings);
    updateBanner();
    updateSettings();
}

QString ReplicasView::bannerText() const
{
    return m_banner->text();
}

void ReplicasView::updateBanner()
{
    QString text;
    QString style;
    const auto &replicas = m_site->replicas();
    const site::Tolerance t = site::ReplicaTracker::tolerance(replicas);
    if (!m_site->isConnected()) {
        text = tr("Not connected.");
    } else if (!m_site->replicasVisible()) {
        text = tr("Server replicas are not visible with this login (they live in the System org; connect as a provider).");
    } else if (replicas.isEmpty()) {
        text = tr("No cse-server replica has registered on this site: clusters wait for a server and nothing progresses.");
        style = QStringLiteral("background:#fdecea;color:#8a1c1c;");
    } else if (t.live == 0) {
        text = tr("No live replica: %n replica(s) registered, none renews its lease. Clusters do not progress.", nullptr,
                  int(replicas.size()));
        style = QStringLiteral("background:#fdecea;color:#8a1c1c;");
    } else if (t.singlePointOfFailure()) {
        text = tr("Single point of failure: only one replica is live. If it fails, clusters stop progressing until it returns.");
        style = QStringLiteral("background:#fff4e5;color:#7a4a00;");
    } else {
        text = tr("%1 replicas live: the site tolerates %n replica failure(s).", nullptr, t.tolerates()).arg(t.live);
        style = QStringLiteral("background:#edf7ed;color:#1e4620;");
    }
    if (t.fenced > 0)
        text += QLatin1Char(' ') + tr("%n replica(s) fenced: lost contact with VCD and stopped writing.", nullptr, t.fenced);
    if (t.lost > 0)
        text += QLatin1Char(' ') + tr("%n replica(s) lost (no heartbeat within the lease).", nullptr, t.lost);
    m_banner->setText(text);
    m_banner->setStyleSheet(style);
}

void ReplicasView::updateSettings()
{
    if (!m_site->config()) {
        m_settings->setText(tr("HA settings: not visible."));
        return;
    }
    const rde::HaSettings ha = m_site->ha();
    m_settings->setText(tr("HA settings (vcdKeConfig)\n"
                           "lease: %1 s\nrenew: every %2 s\npoll: every %3 s\nworkers per replica: %4\n"
                           "auto-repair: %5 attempts, %6 s backoff")
                            .arg(ha.leaseSeconds).arg(ha.renewSeconds).arg(ha.pollSeconds).arg(ha.workersPerReplica)
                            .arg(ha.autoRepairMaxAttempts).arg(ha.autoRepairBackoffSeconds));
}

void ReplicasView::sample()
{
    if (!m_site->isConnected())
        return;
    const QDateTime now = QDateTime::currentDateTime();
    int takeovers = 0;
    for (const site::ReplicaStatus &r : m_site->replicas())
        takeovers += r.takeovers;
    const int live = site::ReplicaTracker::tolerance(m_site->replicas()).live;
    const qreal x = qreal(now.toMSecsSinceEpoch());
    m_live->append(x, live);
    m_takeovers->append(x, takeovers);
    const qreal cutoff = qreal(now.addSecs(-3600).toMSecsSinceEpoch());
    for (QLineSeries *s : {m_live, m_takeovers})
        while (s->count() > 0 && s->at(0).x() < cutoff)
            s->remove(0);
    // The last hour; a younger history is shown over the last five minutes.
    const QDateTime first = QDateTime::fromMSecsSinceEpoch(qint64(m_live->at(0).x()));
    m_x->setRange(qMin(first, now.addSecs(-300)), now);
    qreal top = 4;
    for (QLineSeries *s : {m_live, m_takeovers})
        for (const QPointF &p : s->points())
            top = qMax(top, p.y() + 1);
    m_y->setRange(0, top);
}

} // namespace cse::views
