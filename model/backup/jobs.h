// Backup and restore as asynchronous jobs: QObjects that run on the thread
// that owns them (the GUI thread for the console) without blocking it, and
// publish progress(done, total), message(line) and finished(result).
// cancel() finishes the job at once with ErrorKind::Canceled; results of
// calls still in flight are dropped, and so is everything after the job is
// destroyed (a job is usually a child of the view that started it).
//
// A job either borrows a connected client (the command line, tests) or
// opens its own connection from ConnectionOptions (the console: canceling
// one job aborts only its own requests).
//
// The synchronous collect(), readTarget() and apply() of backup.h and
// restore.h run these same jobs on a local event loop.
#pragma once

#include "archive.h"
#include "backup.h"
#include "core/result.h"
#include "restore.h"
#include "vcd/connectionoptions.h"

#include <QEventLoop>
#include <QObject>
#include <QPointer>
#include <QThread>
#include <functional>
#include <memory>
#include <optional>

namespace cse::vcd {
class Client;
}

namespace cse::backup {

class Job : public QObject
{
    Q_OBJECT
public:
    ~Job() override;

    // Starts the work (once). Results arrive through the signals, never
    // from inside start().
    void start();
    // Finishes now with ErrorKind::Canceled; later results are dropped.
    void cancel();
    bool isRunning() const { return m_started && !m_finished; }
    bool isFinished() const { return m_finished; }

Q_SIGNALS:
    void progress(int done, int total);
    void message(const QString &line);

protected:
    Job(vcd::Client *client, QObject *parent);
    Job(const vcd::ConnectionOptions &options, QObject *parent);

    vcd::Client &client() { return *m_client; }
    virtual void run() = 0;
    virtual void fail(const Error &error) = 0; // emits the subclass's finished(error)
    void finishWith(const Error &error);
    bool markFinished(); // false when already finished (canceled)
    void say(const QString &line);

    // Wraps a callback so that it runs only while this job lives and has not finished.
    template<typename T>
    std::function<void(Result<T>)> guard(std::function<void(Result<T>)> done)
    {
        QPointer<Job> self(this);
        return [self, done = std::move(done)](Result<T> r) {
            if (self && !self->m_finished)
                done(std::move(r));
        };
    }

private:
    QPointer<vcd::Client> m_client;
    vcd::Client *m_own = nullptr; // a child when the job opened its own connection
    bool m_started = false;
    bool m_finished = false;
};

// Reads a site into an Archive (see backup.h).
class BackupJob : public Job
{
    Q_OBJECT
public:
    BackupJob(vcd::Client *client, BackupOptions options, QObject *parent = nullptr);
    BackupJob(const vcd::ConnectionOptions &connection, BackupOptions options, QObject *parent = nullptr);

Q_SIGNALS:
    void finished(const cse::Result<cse::backup::Archive> &result);

private:
    void run() override;
    void fail(const Error &error) override;
    void readSite();
    void add(const QString &kind, rde::DefinedEntity e);
    void listClusters();
    void fetchFull();
    void complete();

    struct State;
    BackupOptions m_options;
    std::shared_ptr<State> m_state;
};

// Reads what planning a restore needs from the target site (see restore.h).
class TargetJob : public Job
{
    Q_OBJECT
public:
    explicit TargetJob(vcd::Client *client, QObject *parent = nullptr);
    explicit TargetJob(const vcd::ConnectionOptions &connection, QObject *parent = nullptr);

Q_SIGNALS:
    void finished(const cse::Result<cse::backup::TargetState> &result);

private:
    void run() override;
    void fail(const Error &error) override;
    void readClusters();

    std::shared_ptr<TargetState> m_state;
};

// Applies a plan: creates and updates entities, kParallel at a time, with
// progress(done, total). Cancel stops before the next entity; an entity
// whose request is in flight may still be written (a later restore finds it
// and does not create it again).
class RestoreJob : public Job
{
    Q_OBJECT
public:
    // The archive the plan points into must outlive the job.
    RestoreJob(vcd::Client *client, Plan plan, RestoreOptions options, QObject *parent = nullptr);
    RestoreJob(const vcd::ConnectionOptions &connection, Plan plan, RestoreOptions options, QObject *parent = nullptr);

    static constexpr int kParallel = 64;

Q_SIGNALS:
    void finished(const cse::Result<cse::backup::ApplyReport> &result);

private:
    void run() override;
    void fail(const Error &error) override;
    void next();
    void applyOne(const PlanItem &item);
    void done(const PlanItem &item, const QString &what, const std::optional<Error> &error);

    Plan m_plan;
    RestoreOptions m_options;
    QList<const PlanItem *> m_work;
    int m_issued = 0;
    int m_finishedCount = 0;
    ApplyReport m_report;
};

// Runs `work` on a thread of its own (for the CPU-bound parts: scrypt and
// AES of encode and decode, file I/O) and delivers its result on context's
// thread, only while context lives.
template<typename T>
void runInThread(QObject *context, std::function<Result<T>()> work, std::function<void(Result<T>)> done)
{
    auto out = std::make_shared<std::optional<Result<T>>>();
    QThread *thread = QThread::create([out, work = std::move(work)] { out->emplace(work()); });
    QObject::connect(thread, &QThread::finished, thread, &QObject::deleteLater);
    QObject::connect(thread, &QThread::finished, context, [out, done = std::move(done)] {
        if (*out)
            done(std::move(**out));
    });
    thread->start();
}

// Runs a job to completion on a local event loop (command-line tools and
// tests; never the GUI thread). Forwards message() to `lines`.
template<typename T, typename J>
Result<T> runToEnd(J &job, const std::function<void(const QString &)> &lines = {})
{
    std::optional<Result<T>> out;
    QEventLoop loop;
    QObject::connect(&job, &J::finished, &loop, [&](const Result<T> &r) {
        out.emplace(r);
        loop.quit();
    });
    if (lines)
        QObject::connect(&job, &Job::message, &loop, lines);
    job.start();
    if (!out)
        loop.exec();
    return std::move(*out);
}

} // namespace cse::backup

Q_DECLARE_METATYPE(cse::Result<cse::backup::Archive>)
Q_DECLARE_METATYPE(cse::Result<cse::backup::TargetState>)
Q_DECLARE_METATYPE(cse::Result<cse::backup::ApplyReport>)
