#pragma once

#include <QMainWindow>

class QLabel;

namespace cse::views {

class MainWindow : public QMainWindow
{
    Q_OBJECT
public:
    explicit MainWindow(QWidget *parent = nullptr);
    // Tells what the demo site can start in this build and what is missing.
    void showDemoStatus();

private:
    QLabel *m_status = nullptr;
};

} // namespace cse::views
