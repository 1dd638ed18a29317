// vcd-sim and the HTTP server under hostile input (issue 14): each case is a
// real vcd-sim process on a loopback port, driven through the client or a
// raw socket.
#include "../support/simprocess.h"

#include "rde/cluster.h"
#include "vcd/fiql.h"

#include <QElapsedTimer>
#include <QProcess>
#include <QSslSocket>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QtTest>
#include <algorithm>
#include <csignal>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

using namespace cse;
using cse::test::call;

namespace {

const QString kClusterType = QStringLiteral("urn:vcloud:type:vmware:capvcdCluster:1.2.0");

quint16 portOf(const test::SimProcess &sim) { return quint16(QUrl(sim.url()).port()); }

// One HTTP answer read from a socket: status, headers (lower-case names), body.
struct Answer
{
    int status = 0;
    QHash<QByteArray, QByteArray> headers;
    QByteArray body;
};

// Reads complete answers from `buffer` (leaves a partial one in it).
QList<Answer> takeAnswers(QByteArray &buffer)
{
    QList<Answer> out;
    for (;;) {
        const qsizetype end = buffer.indexOf("\r\n\r\n");
        if (end < 0)
            return out;
        Answer a;
        const QList<QByteArray> lines = buffer.left(end).split('\n');
        a.status = lines.value(0).split(' ').value(1).toInt();
        for (qsizetype i = 1; i < lines.size(); ++i) {
            const qsizetype colon = lines.at(i).indexOf(':');
            if (colon > 0)
                a.headers.insert(lines.at(i).left(colon).trimmed().toLower(), lines.at(i).mid(colon + 1).trimmed());
        }
        const qint64 length = a.status == 100 ? 0 : a.headers.value("content-length", "0").toLongLong();
        if (buffer.size() < end + 4 + length)
            return out;
        a.body = buffer.mid(end + 4, length);
        buffer.remove(0, end + 4 + length);
        out.append(a);
    }
}

// Sends bytes on a fresh plain connection; collects answers until `count`
// arrived, the server closed, or the time is up.
struct Exchange
{
    QList<Answer> answers;
    bool closed = false;
};

Exchange exchange(quint16 port, const QByteArray &bytes, int count, int timeoutMs = 5000)
{
    Exchange x;
    QTcpSocket s;
    s.connectToHost(QHostAddress::LocalHost, port);
    if (!s.waitForConnected(3000))
        return x;
    s.write(bytes);
    QByteArray buffer;
    QElapsedTimer t;
    t.start();
    while (x.answers.size() < count && t.elapsed() < timeoutMs) {
        if (!s.waitForReadyRead(50) && s.state() != QAbstractSocket::ConnectedState) {
            x.closed = true;
            break;
        }
        buffer += s.readAll();
        x.answers += takeAnswers(buffer);
    }
    buffer += s.readAll();
    x.answers += takeAnswers(buffer);
    if (!x.closed) {
        s.waitForReadyRead(200);
        x.closed = s.state() != QAbstractSocket::ConnectedState;
    }
    return x;
}

QByteArray basic(const QString &login, const QString &password)
{
    return "Basic " + (login + QLatin1Char(':') + password).toUtf8().toBase64();
}

QByteArray loginRequest(const QString &login, const QString &password)
{
    return "POST /cloudapi/1.0.0/sessions HTTP/1.1\r\nHost: t\r\nAccept: application/json;version=37.2\r\nAuthorization: "
           + basic(login, password) + "\r\nContent-Length: 0\r\n\r\n";
}

struct Run
{
    int code = -1;
    QString out;
};

Run runProgram(const QString &program, const QStringList &args, int timeoutMs = 60000)
{
    QProcess p;
    p.setProcessChannelMode(QProcess::MergedChannels);
    p.start(program, args);
    p.closeWriteChannel();
    if (!p.waitForFinished(timeoutMs))
        p.kill();
    p.waitForFinished(5000);
    return {p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1, QString::fromUtf8(p.readAll())};
}

mode_t modeOf(const QString &path)
{
    struct stat st{};
    if (::stat(QFile::encodeName(path).constData(), &st) != 0)
        return mode_t(-1);
    return st.st_mode & 07777;
}

} // namespace

class TestSimHostile : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void cleanup();
    void deepFilterIsRefusedAndServingGoesOn();
    void literalStarFilter();
    void privateDataDirectory();
    void openDataDirectoryWarns();
    void idleConnectionsTimeOut();
    void connectionCap();
    void responseBound();
    void slowReaderDoesNotBlockOthers();
    void loginTimingIsEqual();
    void loginThrottling();
    void tlsRefusesWeakCiphers_data();
    void tlsRefusesWeakCiphers();
    void httpConformance_data();
    void httpConformance();
    void expectContinue();
    void messages();

private:
    std::unique_ptr<test::SimProcess> m_tls;   // defaults, TLS
    std::unique_ptr<test::SimProcess> m_plain; // defaults, plain HTTP
};

void TestSimHostile::initTestCase()
{
    m_tls = std::make_unique<test::SimProcess>(QStringList{QStringLiteral("--no-controllers")});
    QVERIFY2(m_tls->start(), qPrintable(m_tls->error()));
    m_plain = std::make_unique<test::SimProcess>(QStringList{QStringLiteral("--no-controllers"), QStringLiteral("--plain-http")});
    QVERIFY2(m_plain->start(), qPrintable(m_plain->error()));
}

// The shared processes must survive every case.
void TestSimHostile::cleanup()
{
    QVERIFY2(m_tls && ::kill(pid_t(m_tls->pid()), 0) == 0 && m_tls->pid() > 0, "the shared TLS vcd-sim died");
    QVERIFY2(m_plain && ::kill(pid_t(m_plain->pid()), 0) == 0 && m_plain->pid() > 0, "the shared plain vcd-sim died");
}

void TestSimHostile::cleanupTestCase()
{
    m_tls.reset();
    m_plain.reset();
}

void TestSimHostile::deepFilterIsRefusedAndServingGoesOn()
{
    test::SimProcess sim({QStringLiteral("--seed"), QStringLiteral("demo"), QStringLiteral("--no-controllers")});
    QVERIFY2(sim.start(), qPrintable(sim.error()));
    vcd::ConnectionOptions o = sim.tenant(QStringLiteral("acme"), QStringLiteral("acme-viewer"));
    o.maxRetries = 0;
    vcd::Client viewer(o);
    QVERIFY(test::connect(viewer).ok());
    const QString balanced = QString(9000, QLatin1Char('(')) + QStringLiteral("name==x") + QString(9000, QLatin1Char(')'));
    QUrlQuery q1;
    q1.addQueryItem(QStringLiteral("filter"), balanced);
    auto r1 = call(viewer, "GET", QStringLiteral("/cloudapi/1.0.0/orgs"), {}, {}, q1);
    QVERIFY(!r1.ok());
    QCOMPARE(r1.error().httpStatus, 400);
    QVERIFY2(r1.error().message.contains(QLatin1String("limit")), qPrintable(r1.error().message));
    QUrlQuery q2;
    q2.addQueryItem(QStringLiteral("filter"), QString(8000, QLatin1Char('(')));
    auto r2 = call(viewer, "GET", QStringLiteral("/cloudapi/1.0.0/entities/types/vmware/capvcdCluster/1.2.0"), {}, {}, q2);
    QVERIFY(!r2.ok());
    QCOMPARE(r2.error().httpStatus, 400);
    QVERIFY2(r2.error().message.contains(QLatin1String("limit of 32")), qPrintable(r2.error().message));
    // Still serving.
    auto after = call(viewer, "GET", QStringLiteral("/cloudapi/1.0.0/orgs"));
    QVERIFY2(after.ok(), after.ok() ? "" : qPrintable(after.error().message));
}

void TestSimHostile::literalStarFilter()
{
    test::SimProcess sim({QStringLiteral("--seed"), QStringLiteral("demo"), QStringLiteral("--no-controllers")});
    QVERIFY2(sim.start(), qPrintable(sim.error()));
    vcd::Client acme(sim.tenant(QStringLiteral("acme"), QStringLiteral("acme-admin")));
    QVERIFY(test::connect(acme).ok());
    for (const QString &name : {QStringLiteral("star*name"), QStringLiteral("starXXname")}) {
        const QJsonObject entity = rde::Cluster::create(name, QStringLiteral("acme"), QStringLiteral("acme-vdc"), QStringLiteral("https://vcd"),
                                                        QStringLiteral("---\nkind: Cluster\n"), QString())
                                       .json();
        auto id = vcd::await<QString>([&](auto done) { acme.createEntity(kClusterType, name, entity, done); });
        QVERIFY2(id.ok(), id.ok() ? "" : qPrintable(id.error().message));
    }
    auto names = [&](const QString &filter) {
        QUrlQuery q;
        q.addQueryItem(QStringLiteral("filter"), filter);
        auto r = call(acme, "GET", QStringLiteral("/cloudapi/1.0.0/entities/types/vmware/capvcdCluster/1.2.0"), {}, {}, q);
        QStringList out;
        if (r.ok())
            for (const QJsonValue &v : QJsonDocument::fromJson(r->body).object().value(QLatin1String("values")).toArray())
                out << v.toObject().value(QLatin1String("name")).toString();
        else
            out << QStringLiteral("error: ") + r.error().message;
        out.sort();
        return out;
    };
    QCOMPARE(names(QStringLiteral("name==star*name")), QStringList({QStringLiteral("star*name"), QStringLiteral("starXXname")}));
    QCOMPARE(names(QStringLiteral("name==\"star\\*name\"")), QStringList{QStringLiteral("star*name")});
    QCOMPARE(names(QStringLiteral("name==star\\*name")), QStringList{QStringLiteral("star*name")});
    QCOMPARE(names(vcd::fiql::eqExact(QStringLiteral("name"), QStringLiteral("star*name"))), QStringList{QStringLiteral("star*name")});
}

void TestSimHostile::privateDataDirectory()
{
    QTemporaryDir parent;
    const QString dir = parent.filePath(QStringLiteral("fresh"));
    test::SimProcess sim({QStringLiteral("--seed"), QStringLiteral("demo"), QStringLiteral("--no-controllers")}, dir);
    QVERIFY2(sim.start(), qPrintable(sim.error()));
    QCOMPARE(modeOf(dir), mode_t(0700));
    for (const char *name : {"vcd-sim.db", "vcd-sim.db-wal", "vcd-sim.db-shm", "tls-key.pem"}) {
        const QString path = QDir(dir).filePath(QString::fromLatin1(name));
        QVERIFY2(QFileInfo::exists(path), name);
        QVERIFY2((modeOf(path) & 077) == 0, qPrintable(QStringLiteral("%1 has mode %2").arg(path).arg(modeOf(path), 0, 8)));
    }
    QVERIFY(!sim.output().contains("WARNING"));
}

void TestSimHostile::openDataDirectoryWarns()
{
    QTemporaryDir dir;
    QVERIFY(QFile::setPermissions(dir.path(), QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner
                                                  | QFileDevice::ReadGroup | QFileDevice::ExeGroup | QFileDevice::ReadOther
                                                  | QFileDevice::ExeOther));
    // A database left 0644 by an older version is made private again.
    QFile old(dir.filePath(QStringLiteral("vcd-sim.db")));
    QVERIFY(old.open(QIODevice::WriteOnly));
    old.close();
    QVERIFY(old.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ReadGroup | QFileDevice::ReadOther));
    test::SimProcess sim({QStringLiteral("--no-controllers")}, dir.path());
    QVERIFY2(sim.start(), qPrintable(sim.error()));
    QVERIFY2(sim.output().contains("open to other users (mode 0755)"), sim.output().constData());
    QVERIFY2(sim.output().contains("chmod 700"), sim.output().constData());
    QCOMPARE(modeOf(dir.filePath(QStringLiteral("vcd-sim.db"))), mode_t(0600));
}

void TestSimHostile::idleConnectionsTimeOut()
{
    test::SimProcess sim({QStringLiteral("--no-controllers"), QStringLiteral("--header-timeout-ms"), QStringLiteral("600"),
                          QStringLiteral("--body-timeout-ms"), QStringLiteral("600"), QStringLiteral("--idle-timeout-ms"),
                          QStringLiteral("600")});
    QVERIFY2(sim.start(), qPrintable(sim.error()));
    const quint16 port = portOf(sim);
    std::vector<std::unique_ptr<QTcpSocket>> silent;   // no TLS handshake at all
    std::vector<std::unique_ptr<QSslSocket>> handshaken; // TLS, then nothing / a partial header / a short body
    for (int i = 0; i < 20; ++i) {
        silent.push_back(std::make_unique<QTcpSocket>());
        silent.back()->connectToHost(QHostAddress::LocalHost, port);
    }
    for (int i = 0; i < 9; ++i) {
        auto s = std::make_unique<QSslSocket>();
        s->setPeerVerifyMode(QSslSocket::VerifyNone);
        s->connectToHostEncrypted(QStringLiteral("127.0.0.1"), port);
        QVERIFY(s->waitForEncrypted(5000));
        if (i % 3 == 1)
            s->write("GET /api/versions HTTP/1.1\r\nHost: t\r\n");
        if (i % 3 == 2)
            s->write("POST /cloudapi/1.0.0/sessions HTTP/1.1\r\nHost: t\r\nContent-Length: 100\r\n\r\n{\"partial\":");
        handshaken.push_back(std::move(s));
    }
    auto open = [&] {
        int n = 0;
        for (auto &s : silent)
            n += s->state() != QAbstractSocket::UnconnectedState;
        for (auto &s : handshaken)
            n += s->state() != QAbstractSocket::UnconnectedState;
        return n;
    };
    QTRY_COMPARE_WITH_TIMEOUT(open(), 0, 10000);
    // Those that had started a request were told why.
    for (int i = 0; i < 9; ++i)
        if (i % 3 != 0) {
            const QByteArray got = handshaken[size_t(i)]->readAll();
            QVERIFY2(got.startsWith("HTTP/1.1 408"), got.constData());
            QVERIFY2(got.contains(i % 3 == 1 ? "request header did not arrive" : "request body did not arrive"), got.constData());
        }
    // And a keep-alive connection that went quiet is closed too.
    QSslSocket ka;
    ka.setPeerVerifyMode(QSslSocket::VerifyNone);
    ka.connectToHostEncrypted(QStringLiteral("127.0.0.1"), port);
    QVERIFY(ka.waitForEncrypted(5000));
    ka.write("GET /api/versions HTTP/1.1\r\nHost: t\r\n\r\n");
    QTRY_VERIFY_WITH_TIMEOUT(ka.bytesAvailable() > 0, 5000);
    QVERIFY(ka.readAll().startsWith("HTTP/1.1 200"));
    QTRY_COMPARE_WITH_TIMEOUT(ka.state(), QAbstractSocket::UnconnectedState, 5000);
}

void TestSimHostile::connectionCap()
{
    test::SimProcess sim({QStringLiteral("--no-controllers"), QStringLiteral("--plain-http"), QStringLiteral("--max-connections"),
                          QStringLiteral("4"), QStringLiteral("--header-timeout-ms"), QStringLiteral("60000")});
    QVERIFY2(sim.start(), qPrintable(sim.error()));
    const quint16 port = portOf(sim);
    std::vector<std::unique_ptr<QTcpSocket>> held;
    for (int i = 0; i < 4; ++i) {
        held.push_back(std::make_unique<QTcpSocket>());
        held.back()->connectToHost(QHostAddress::LocalHost, port);
        QVERIFY(held.back()->waitForConnected(3000));
        // The server has surely accepted it once it answers on it.
        held.back()->write("GET /api/versions HTTP/1.1\r\nHost: t\r\n\r\n");
        QTRY_VERIFY_WITH_TIMEOUT(held.back()->bytesAvailable() > 0, 5000);
        QVERIFY(held.back()->readAll().startsWith("HTTP/1.1 200"));
    }
    const Exchange refused = exchange(port, "GET /api/versions HTTP/1.1\r\nHost: t\r\n\r\n", 1);
    QCOMPARE(refused.answers.size(), 1);
    QCOMPARE(refused.answers.at(0).status, 503);
    QVERIFY(refused.answers.at(0).body.contains("too many connections"));
    QVERIFY(refused.closed);
    held.front()->disconnectFromHost();
    held.erase(held.begin());
    // A slot is free again once the server has seen the close.
    int status = 0;
    for (int i = 0; i < 50 && status != 200; ++i) {
        QTest::qWait(100);
        status = exchange(port, "GET /api/versions HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n", 1).answers.value(0).status;
    }
    QCOMPARE(status, 200);
}

void TestSimHostile::responseBound()
{
    test::SimProcess sim({QStringLiteral("--seed"), QStringLiteral("demo"), QStringLiteral("--no-controllers"),
                          QStringLiteral("--max-response-bytes"), QStringLiteral("12000")});
    QVERIFY2(sim.start(), qPrintable(sim.error()));
    vcd::ConnectionOptions o = sim.tenant(QStringLiteral("acme"), QStringLiteral("acme-admin"));
    o.maxRetries = 0;
    vcd::Client acme(o);
    QVERIFY(test::connect(acme).ok());
    QJsonObject big = rde::Cluster::create(QStringLiteral("big"), QStringLiteral("acme"), QStringLiteral("acme-vdc"), QStringLiteral("https://vcd"),
                                           QStringLiteral("---\nkind: Cluster\n# ") + QString(3000, QLatin1Char('x')) + QLatin1Char('\n'),
                                           QString())
                          .json();
    for (int i = 0; i < 6; ++i) {
        auto id = vcd::await<QString>([&](auto done) { acme.createEntity(kClusterType, QStringLiteral("big-%1").arg(i), big, done); });
        QVERIFY2(id.ok(), id.ok() ? "" : qPrintable(id.error().message));
    }
    const QString list = QStringLiteral("/cloudapi/1.0.0/entities/types/vmware/capvcdCluster/1.2.0");
    QUrlQuery all;
    all.addQueryItem(QStringLiteral("pageSize"), QStringLiteral("128"));
    auto tooBig = call(acme, "GET", list, {}, {}, all);
    QVERIFY(!tooBig.ok());
    QCOMPARE(tooBig.error().httpStatus, 400);
    QVERIFY2(tooBig.error().message.contains(QLatin1String("response limit of 12000 bytes")), qPrintable(tooBig.error().message));
    static const QRegularExpression hint(QStringLiteral("pageSize=(\\d+) or less"));
    const auto m = hint.match(tooBig.error().message);
    QVERIFY2(m.hasMatch(), qPrintable(tooBig.error().message));
    QUrlQuery fits;
    fits.addQueryItem(QStringLiteral("pageSize"), m.captured(1));
    auto page = call(acme, "GET", list, {}, {}, fits);
    QVERIFY2(page.ok(), page.ok() ? "" : qPrintable(page.error().message));
    QVERIFY(page->body.size() <= 12000);
    QCOMPARE(QJsonDocument::fromJson(page->body).object().value(QLatin1String("pageSize")).toInt(), m.captured(1).toInt());
    // Any other answer over the bound: a 500 naming the limit, not a huge body.
    const QJsonObject huge = rde::Cluster::create(QStringLiteral("huge"), QStringLiteral("acme"), QStringLiteral("acme-vdc"),
                                                  QStringLiteral("https://vcd"),
                                                  QStringLiteral("---\nkind: Cluster\n# ") + QString(13000, QLatin1Char('x')) + QLatin1Char('\n'),
                                                  QString())
                                 .json();
    auto hugeId = vcd::await<QString>([&](auto done) { acme.createEntity(kClusterType, QStringLiteral("huge"), huge, done); });
    QVERIFY2(hugeId.ok(), hugeId.ok() ? "" : qPrintable(hugeId.error().message));
    auto one = call(acme, "GET", QStringLiteral("/cloudapi/1.0.0/entities/") + *hugeId);
    QVERIFY(!one.ok());
    QCOMPARE(one.error().httpStatus, 500);
    QVERIFY2(one.error().message.contains(QLatin1String("exceeds the server's limit of 12000 bytes")), qPrintable(one.error().message));
}

void TestSimHostile::slowReaderDoesNotBlockOthers()
{
    test::SimProcess sim({QStringLiteral("--seed"), QStringLiteral("demo"), QStringLiteral("--no-controllers"), QStringLiteral("--plain-http"),
                          QStringLiteral("--write-timeout-ms"), QStringLiteral("1000")});
    QVERIFY2(sim.start(), qPrintable(sim.error()));
    const quint16 port = portOf(sim);
    // One large entity (2 MB of capiYaml).
    vcd::ConnectionOptions o = sim.tenant(QStringLiteral("acme"), QStringLiteral("acme-admin"));
    o.maxRetries = 0;
    vcd::Client acme(o);
    QVERIFY(test::connect(acme).ok());
    const QJsonObject big = rde::Cluster::create(QStringLiteral("big"), QStringLiteral("acme"), QStringLiteral("acme-vdc"),
                                                 QStringLiteral("https://vcd"),
                                                 QStringLiteral("---\nkind: Cluster\n# ") + QString(2 * 1024 * 1024, QLatin1Char('x')) + QLatin1Char('\n'),
                                                 QString())
                                .json();
    auto id = vcd::await<QString>([&](auto done) { acme.createEntity(kClusterType, QStringLiteral("big"), big, done); });
    QVERIFY2(id.ok(), id.ok() ? "" : qPrintable(id.error().message));
    const Exchange login = exchange(port, loginRequest(QStringLiteral("acme-admin@acme"), QStringLiteral("demo-password")), 1);
    QCOMPARE(login.answers.value(0).status, 200);
    const QByteArray token = login.answers.at(0).headers.value("x-vmware-vcloud-access-token");
    // A client that asks for it 50 times (100 MB, far more than socket
    // buffers hold) and reads nothing: a plain socket with a tiny receive buffer.
    const int hog = ::socket(AF_INET, SOCK_STREAM, 0);
    QVERIFY(hog >= 0);
    const int small = 4096;
    ::setsockopt(hog, SOL_SOCKET, SO_RCVBUF, &small, sizeof small);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    QCOMPARE(::connect(hog, reinterpret_cast<sockaddr *>(&addr), sizeof addr), 0);
    QByteArray many;
    for (int i = 0; i < 50; ++i)
        many += "GET /cloudapi/1.0.0/entities/" + id->toLatin1() + " HTTP/1.1\r\nHost: t\r\nAccept: application/json;version=37.2\r\n"
                "Authorization: Bearer " + token + "\r\n\r\n";
    QCOMPARE(::send(hog, many.constData(), size_t(many.size()), MSG_DONTWAIT | MSG_NOSIGNAL), ssize_t(many.size()));
    // Others are answered meanwhile.
    for (int i = 0; i < 5; ++i) {
        const Exchange x = exchange(port, "GET /api/versions HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n", 1, 3000);
        QCOMPARE(x.answers.value(0).status, 200);
    }
    // And the server gives up on the reader that stalled (--write-timeout-ms), without our reading a byte.
    auto hungUp = [hog] {
        pollfd p{hog, POLLIN, 0};
        return ::poll(&p, 1, 0) == 1 && (p.revents & (POLLHUP | POLLERR));
    };
    QTRY_VERIFY_WITH_TIMEOUT(hungUp(), 20000);
    ::close(hog);
}

void TestSimHostile::loginTimingIsEqual()
{
    test::SimProcess sim({QStringLiteral("--seed"), QStringLiteral("demo"), QStringLiteral("--no-controllers"), QStringLiteral("--plain-http"),
                          QStringLiteral("--login-failures-per-user"), QStringLiteral("1000"), QStringLiteral("--login-failures-per-source"),
                          QStringLiteral("1000")});
    QVERIFY2(sim.start(), qPrintable(sim.error()));
    const quint16 port = portOf(sim);
    // One keep-alive connection, so that connecting costs nothing in the comparison.
    QTcpSocket s;
    s.connectToHost(QHostAddress::LocalHost, port);
    QVERIFY(s.waitForConnected(3000));
    auto timeOne = [&](const QString &login) {
        QElapsedTimer t;
        t.start();
        s.write(loginRequest(login, QStringLiteral("wrong-password")));
        QByteArray buffer;
        QList<Answer> got;
        while (got.isEmpty() && s.waitForReadyRead(5000)) {
            buffer += s.readAll();
            got = takeAnswers(buffer);
        }
        const qint64 ns = t.nsecsElapsed();
        return got.value(0).status == 401 ? ns : qint64(-1);
    };
    const QStringList logins = {QStringLiteral("acme-admin@acme"), QStringLiteral("nobody@acme"), QStringLiteral("acme-admin@no-such-org")};
    QList<QList<qint64>> samples(logins.size());
    for (int round = 0; round < 15; ++round)
        for (qsizetype i = 0; i < logins.size(); ++i) {
            const qint64 ns = timeOne(logins.at(i));
            QVERIFY2(ns > 0, qPrintable(logins.at(i)));
            samples[i].append(ns);
        }
    QList<double> medians;
    for (QList<qint64> &v : samples) {
        std::sort(v.begin(), v.end());
        medians.append(double(v.at(v.size() / 2)));
    }
    const double slow = *std::max_element(medians.begin(), medians.end());
    const double fast = *std::min_element(medians.begin(), medians.end());
    QVERIFY2(slow <= 2 * fast, qPrintable(QStringLiteral("median login times (known user, unknown user, unknown org): %1 / %2 / %3 us")
                                              .arg(medians.at(0) / 1000).arg(medians.at(1) / 1000).arg(medians.at(2) / 1000)));
}

void TestSimHostile::loginThrottling()
{
    test::SimProcess sim({QStringLiteral("--seed"), QStringLiteral("demo"), QStringLiteral("--no-controllers"), QStringLiteral("--plain-http"),
                          QStringLiteral("--login-failures-per-user"), QStringLiteral("3"), QStringLiteral("--login-failures-per-source"),
                          QStringLiteral("6")});
    QVERIFY2(sim.start(), qPrintable(sim.error()));
    const quint16 port = portOf(sim);
    auto status = [&](const QString &login, const QString &password, QByteArray *retryAfter = nullptr) {
        const Exchange x = exchange(port, loginRequest(login, password), 1);
        if (retryAfter)
            *retryAfter = x.answers.value(0).headers.value("retry-after");
        return x.answers.value(0).status;
    };
    for (int i = 0; i < 3; ++i)
        QCOMPARE(status(QStringLiteral("acme-admin@acme"), QStringLiteral("guess-%1").arg(i)), 401);
    // The user is throttled, even with the right password; the answer says for how long.
    QByteArray retry;
    QCOMPARE(status(QStringLiteral("acme-admin@acme"), QStringLiteral("demo-password"), &retry), 429);
    QVERIFY2(retry.toInt() > 0, retry.constData());
    // Another user is not, until this address has failed too often.
    QCOMPARE(status(QStringLiteral("globex-admin@globex"), QStringLiteral("demo-password")), 200);
    for (int i = 0; i < 3; ++i)
        QCOMPARE(status(QStringLiteral("nobody-%1@acme").arg(i), QStringLiteral("x")), 401);
    QCOMPARE(status(QStringLiteral("globex-viewer@globex"), QStringLiteral("demo-password"), &retry), 429);
    QVERIFY(retry.toInt() > 0);
}

void TestSimHostile::tlsRefusesWeakCiphers_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<bool>("accepted");
    QTest::newRow("TLS 1.2 RSA key exchange, CBC-SHA1") << QStringList{QStringLiteral("-tls1_2"), QStringLiteral("-cipher"), QStringLiteral("AES128-SHA")} << false;
    QTest::newRow("TLS 1.2 RSA key exchange, GCM") << QStringList{QStringLiteral("-tls1_2"), QStringLiteral("-cipher"), QStringLiteral("AES256-GCM-SHA384")} << false;
    QTest::newRow("TLS 1.2 ECDHE CBC") << QStringList{QStringLiteral("-tls1_2"), QStringLiteral("-cipher"), QStringLiteral("ECDHE-RSA-AES128-SHA")} << false;
    QTest::newRow("TLS 1.1") << QStringList{QStringLiteral("-tls1_1")} << false;
    QTest::newRow("TLS 1.2 ECDHE GCM") << QStringList{QStringLiteral("-tls1_2"), QStringLiteral("-cipher"), QStringLiteral("ECDHE-RSA-AES128-GCM-SHA256")} << true;
    QTest::newRow("TLS 1.2 ECDHE ChaCha20") << QStringList{QStringLiteral("-tls1_2"), QStringLiteral("-cipher"), QStringLiteral("ECDHE-RSA-CHACHA20-POLY1305")} << true;
    QTest::newRow("TLS 1.3") << QStringList{QStringLiteral("-tls1_3")} << true;
}

void TestSimHostile::tlsRefusesWeakCiphers()
{
    QFETCH(QStringList, args);
    QFETCH(bool, accepted);
    const test::SimProcess *sim = m_tls.get();
    const Run r = runProgram(QStringLiteral("openssl"), QStringList{QStringLiteral("s_client"), QStringLiteral("-connect"),
                                                                    QStringLiteral("127.0.0.1:%1").arg(portOf(*sim))} + args,
                             20000);
    const bool handshake = r.code == 0 && r.out.contains(QLatin1String("Cipher is")) && !r.out.contains(QLatin1String("Cipher is (NONE)"));
    QVERIFY2(handshake == accepted, qPrintable(r.out.left(1500)));
}

void TestSimHostile::httpConformance_data()
{
    QTest::addColumn<QByteArray>("request");
    QTest::addColumn<QList<int>>("statuses");
    QTest::addColumn<bool>("closed");
    const QByteArray versions = "GET /api/versions HTTP/1.1\r\nHost: t\r\n\r\n";
    QTest::newRow("conflicting Content-Length") << QByteArray("POST /cloudapi/1.0.0/sessions HTTP/1.1\r\nHost: t\r\nContent-Length: 2\r\n"
                                                              "Content-Length: 20\r\n\r\n{}")
                                                << QList<int>{400} << true;
    QTest::newRow("Content-Length list that disagrees") << QByteArray("POST /cloudapi/1.0.0/sessions HTTP/1.1\r\nHost: t\r\n"
                                                                      "Content-Length: 2, 3\r\n\r\n{}")
                                                        << QList<int>{400} << true;
    QTest::newRow("same Content-Length twice") << QByteArray("POST /cloudapi/1.0.0/sessions HTTP/1.1\r\nHost: t\r\nContent-Length: 2\r\n"
                                                             "Content-Length: 2\r\n\r\n{}")
                                                   + versions
                                               << QList<int>{401, 200} << false;
    QTest::newRow("signed Content-Length") << QByteArray("POST /cloudapi/1.0.0/sessions HTTP/1.1\r\nHost: t\r\nContent-Length: +2\r\n\r\n{}")
                                           << QList<int>{400} << true;
    QTest::newRow("bare LF answered") << QByteArray("GET /api/versions HTTP/1.1\nHost: t\n\n") << QList<int>{200} << false;
    QTest::newRow("bare CR refused") << QByteArray("GET /api/versions HTTP/1.1\rHost: t\r\n\r\n") << QList<int>{400} << true;
    QTest::newRow("obs-fold refused") << QByteArray("GET /api/versions HTTP/1.1\r\nHost: t\r\nX-A: 1\r\n  2\r\n\r\n") << QList<int>{400} << true;
    QTest::newRow("space before colon") << QByteArray("GET /api/versions HTTP/1.1\r\nHost : t\r\n\r\n") << QList<int>{400} << true;
    QTest::newRow("chunked") << QByteArray("POST /cloudapi/1.0.0/sessions HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n")
                             << QList<int>{411} << true;
    QTest::newRow("pipelined after a body") << QByteArray("POST /cloudapi/1.0.0/sessions HTTP/1.1\r\nHost: t\r\nContent-Length: 2\r\n\r\n{}")
                                                   + versions
                                            << QList<int>{401, 200} << false;
    QTest::newRow("garbage after a body") << QByteArray("POST /cloudapi/1.0.0/sessions HTTP/1.1\r\nHost: t\r\nContent-Length: 2\r\n\r\n"
                                                        "{}EXTRA BYTES\r\n\r\n")
                                          << QList<int>{401, 400} << true;
    QTest::newRow("header too large") << QByteArray("GET /api/versions HTTP/1.1\r\nX-Long: ") + QByteArray(70000, 'a') + "\r\n\r\n"
                                      << QList<int>{431} << true;
    QTest::newRow("HTTP/2 preface") << QByteArray("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n") << QList<int>{400} << true;
}

void TestSimHostile::httpConformance()
{
    QFETCH(QByteArray, request);
    QFETCH(QList<int>, statuses);
    QFETCH(bool, closed);
    const test::SimProcess *sim = m_plain.get();
    const Exchange x = exchange(portOf(*sim), request, int(statuses.size()) + 1, 1500);
    QList<int> got;
    for (const Answer &a : x.answers)
        got << a.status;
    QCOMPARE(got, statuses);
    QCOMPARE(x.closed, closed);
}

void TestSimHostile::expectContinue()
{
    test::SimProcess sim({QStringLiteral("--no-controllers"), QStringLiteral("--plain-http"), QStringLiteral("--max-body-bytes"),
                          QStringLiteral("100000")});
    QVERIFY2(sim.start(), qPrintable(sim.error()));
    QTcpSocket s;
    s.connectToHost(QHostAddress::LocalHost, portOf(sim));
    QVERIFY(s.waitForConnected(3000));
    s.write("POST /cloudapi/1.0.0/sessions HTTP/1.1\r\nHost: t\r\nExpect: 100-continue\r\nContent-Length: 2\r\n\r\n");
    QByteArray buffer;
    QElapsedTimer t;
    t.start();
    while (!buffer.contains("\r\n\r\n") && s.waitForReadyRead(3000))
        buffer += s.readAll();
    QVERIFY2(t.elapsed() < 900, "no 100 Continue before curl's 1 s fallback");
    QVERIFY2(buffer.startsWith("HTTP/1.1 100 Continue\r\n\r\n"), buffer.constData());
    buffer.remove(0, qsizetype(qstrlen("HTTP/1.1 100 Continue\r\n\r\n")));
    s.write("{}");
    QList<Answer> got;
    while ((got = takeAnswers(buffer)).isEmpty() && s.waitForReadyRead(3000))
        buffer += s.readAll();
    QVERIFY(!got.isEmpty());
    QCOMPARE(got.at(0).status, 401);
    // A large body sent at once with its header (more than a header's worth in one go) is read whole.
    QTcpSocket burst;
    burst.connectToHost(QHostAddress::LocalHost, portOf(sim));
    QVERIFY(burst.waitForConnected(3000));
    const QByteArray filler = "{\"pad\":\"" + QByteArray(90000, 'p') + "\"}";
    burst.write("POST /cloudapi/1.0.0/sessions HTTP/1.1\r\nHost: t\r\nContent-Length: " + QByteArray::number(filler.size()) + "\r\n\r\n"
                + filler);
    QByteArray burstBuffer;
    QList<Answer> burstAnswers;
    while ((burstAnswers = takeAnswers(burstBuffer)).isEmpty() && burst.waitForReadyRead(3000))
        burstBuffer += burst.readAll();
    QCOMPARE(burstAnswers.value(0).status, 401);
    // Too large: refused at once with 413, no 100 Continue.
    const Exchange big = exchange(portOf(sim), "POST /cloudapi/1.0.0/sessions HTTP/1.1\r\nHost: t\r\nExpect: 100-continue\r\n"
                                               "Content-Length: 200000\r\n\r\n", 1, 3000);
    QCOMPARE(big.answers.value(0).status, 413);
}

void TestSimHostile::messages()
{
    const QString sim = QStringLiteral(CSE_VCD_SIM_BIN);
    QTemporaryDir dir;
    // --data naming a file.
    const QString file = dir.filePath(QStringLiteral("a-file"));
    QFile f(file);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.close();
    Run r = runProgram(sim, {QStringLiteral("--data"), file, QStringLiteral("--listen"), QStringLiteral("127.0.0.1:0")});
    QVERIFY(r.code != 0);
    QVERIFY2(r.out.contains(file + QStringLiteral(" is a file, not a directory")), qPrintable(r.out));
    // Under a file.
    r = runProgram(sim, {QStringLiteral("--data"), file + QStringLiteral("/sub"), QStringLiteral("--listen"), QStringLiteral("127.0.0.1:0")});
    QVERIFY(r.code != 0);
    QVERIFY2(r.out.contains(QStringLiteral("cannot create data directory %1/sub: %1 is not a directory").arg(file)), qPrintable(r.out));
    // A directory the system refuses to create (even for root, in sysfs): the reason and where to look.
    if (QFileInfo(QStringLiteral("/sys/kernel")).isDir()) {
        r = runProgram(sim, {QStringLiteral("--data"), QStringLiteral("/sys/vcd-sim-test"), QStringLiteral("--listen"),
                             QStringLiteral("127.0.0.1:0")});
        QVERIFY(r.code != 0);
        QVERIFY2(r.out.contains(QLatin1String("cannot create data directory /sys/vcd-sim-test: Operation not permitted; "
                                              "check the permissions of /sys")),
                 qPrintable(r.out));
    }
    // A directory this user may not write (root may write anywhere: skip that part).
    if (::geteuid() != 0) {
        const QString locked = dir.filePath(QStringLiteral("locked"));
        QVERIFY(QDir().mkpath(locked));
        QVERIFY(QFile::setPermissions(locked, QFileDevice::ReadOwner | QFileDevice::ExeOwner));
        r = runProgram(sim, {QStringLiteral("--data"), locked + QStringLiteral("/d"), QStringLiteral("--listen"), QStringLiteral("127.0.0.1:0")});
        QVERIFY(r.code != 0);
        QVERIFY2(r.out.contains(QStringLiteral("no write permission in %1").arg(locked)), qPrintable(r.out));
        QFile::setPermissions(locked, QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner);
    }
    // A bound that is not a number, or too small.
    r = runProgram(sim, {QStringLiteral("--data"), dir.filePath(QStringLiteral("d")), QStringLiteral("--idle-timeout-ms"), QStringLiteral("soon")});
    QCOMPARE(r.code, 2);
    QVERIFY2(r.out.contains(QLatin1String("--idle-timeout-ms expects a whole number from 100")), qPrintable(r.out));
    r = runProgram(sim, {QStringLiteral("--data"), dir.filePath(QStringLiteral("d")), QStringLiteral("--max-connections"), QStringLiteral("0")});
    QCOMPARE(r.code, 2);
    QVERIFY2(r.out.contains(QLatin1String("--max-connections expects a whole number from 1")), qPrintable(r.out));
    // The admin password is never taken from argv.
    r = runProgram(sim, {QStringLiteral("--data"), dir.filePath(QStringLiteral("d")), QStringLiteral("--admin-password"),
                         QStringLiteral("visible-pw")});
    QCOMPARE(r.code, 2);
    QVERIFY2(r.out.contains(QLatin1String("--admin-password is not accepted")) && r.out.contains(QLatin1String("--admin-password-file")),
             qPrintable(r.out));
    QVERIFY(!r.out.contains(QLatin1String("visible-pw")));
    // From a file it must be private.
    const QString pw = dir.filePath(QStringLiteral("pw"));
    QFile p(pw);
    QVERIFY(p.open(QIODevice::WriteOnly));
    p.write("file-pw\n");
    p.close();
    QVERIFY(p.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ReadOther));
    r = runProgram(sim, {QStringLiteral("--data"), dir.filePath(QStringLiteral("d")), QStringLiteral("--admin-password-file"), pw});
    QCOMPARE(r.code, 2);
    QVERIFY2(r.out.contains(QLatin1String("chmod 600")), qPrintable(r.out));

    // cse-server: a URL without a scheme, and http:// against a TLS server.
    const test::SimProcess &tls = *m_tls;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("CSE_VCD_PASSWORD"), tls.adminPassword());
    auto server = [&](const QString &url) {
        QProcess proc;
        proc.setProcessEnvironment(env);
        proc.setProcessChannelMode(QProcess::MergedChannels);
        QElapsedTimer t;
        t.start();
        proc.start(QStringLiteral(CSE_SERVER_BIN), {QStringLiteral("check-connection"), QStringLiteral("--vcd"), url, QStringLiteral("--org"),
                                                    QStringLiteral("System"), QStringLiteral("--user"), QStringLiteral("administrator"),
                                                    QStringLiteral("--fingerprint"), tls.fingerprint()});
        proc.waitForFinished(60000);
        return std::make_pair(QString::fromUtf8(proc.readAll()), t.elapsed());
    };
    const QString hostPort = QStringLiteral("127.0.0.1:%1").arg(portOf(tls));
    const auto noScheme = server(hostPort);
    QVERIFY2(noScheme.first.contains(QStringLiteral("\"%1\" has no scheme").arg(hostPort)), qPrintable(noScheme.first));
    QVERIFY2(noScheme.first.contains(QStringLiteral("https://%1").arg(hostPort)), qPrintable(noScheme.first));
    const auto plain = server(QStringLiteral("http://") + hostPort);
    QVERIFY2(plain.first.contains(QLatin1String("expects TLS")) && plain.first.contains(QStringLiteral("use https://%1").arg(hostPort)),
             qPrintable(plain.first));
    QVERIFY2(!plain.first.contains(QLatin1String("Connection closed")), qPrintable(plain.first));
}

QTEST_GUILESS_MAIN(TestSimHostile)
#include "tst_sim_hostile.moc"
