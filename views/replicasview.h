// The replicas page: every cse-server replica with its live state, a banner
// that says how many replica failures the site tolerates, a chart of live
// replicas and takeovers over the last hour, and the HA settings.
#pragma once

#include <QWidget>

class QLabel;
class QTableView;
class QTimer;
class QChartView;
class QLineSeries;
class QDateTimeAxis;
class QValueAxis;

namespace cse::items {
class ReplicaModel;
}
namespace cse::site {
class Site;
}

namespace cse::views {

class ReplicasView : public QWidget
{
    Q_OBJECT
public:
    explicit ReplicasView(site::Site *site, QWidget *parent = nullptr);
    items::ReplicaModel *model() const { return m_model; }
    QString bannerText() const;

private:
    void updateBanner();
    void updateSettings();
    void sample();

    site::Site *m_site;
    items::ReplicaModel *m_model;
    QLabel *m_banner;
    QLabel *m_settings;
    QTableView *m_table;
    QTimer *m_tick;
    QChartView *m_chart;
    QLineSeries *m_live;
    QLineSeries *m_takeovers;
    QDateTimeAxis *m_x;
    QValueAxis *m_y;
};

} // namespace cse::views
