// Secrets through QtKeychain into a real Secret Service (gnome-keyring) on a
// private D-Bus session that this test starts: the token is stored and read
// back, and never written to the settings file.
#include "../support/simprocess.h"
#include "items/clustermodel.h"
#include "keychainstore.h"
#include "mainwindow.h"
#include "site/site.h"

#include <QDir>
#include <QFile>
#include <QProcess>
#include <QSettings>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QtTest>

using namespace cse;

class TestKeychain : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void storesAndReads();
    void profileSecretGoesToKeychainOnly();

private:
    Result<QString> read(views::KeychainStore &store, const QString &key);
    QTemporaryDir m_home;
    QProcess m_bus;
    QProcess m_keyring;
};

void TestKeychain::initTestCase()
{
    const QString dbus = QStandardPaths::findExecutable(QStringLiteral("dbus-daemon"));
    const QString keyring = QStandardPaths::findExecutable(QStringLiteral("gnome-keyring-daemon"));
    if (dbus.isEmpty() || keyring.isEmpty())
        QSKIP("dbus-daemon or gnome-keyring-daemon is not installed (Debian packages dbus-daemon, gnome-keyring): "
              "no Secret Service to test against");
    // A private home, runtime dir and session bus: nothing of the user's session is touched.
    QVERIFY(m_home.isValid());
    const QString runtime = m_home.filePath(QStringLiteral("runtime"));
    QVERIFY(QDir().mkpath(runtime));
    QFile::setPermissions(runtime, QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner);
    qputenv("HOME", m_home.path().toUtf8());
    qputenv("XDG_RUNTIME_DIR", runtime.toUtf8());
    qputenv("XDG_DATA_HOME", m_home.filePath(QStringLiteral("data")).toUtf8());
    qputenv("XDG_CONFIG_HOME", m_home.filePath(QStringLiteral("config")).toUtf8());
    qputenv("XDG_CURRENT_DESKTOP", "GNOME");
    m_bus.start(dbus, {QStringLiteral("--session"), QStringLiteral("--nofork"), QStringLiteral("--print-address=1")});
    QVERIFY2(m_bus.waitForStarted(5000), qPrintable(m_bus.errorString()));
    QByteArray address;
    QTRY_VERIFY_WITH_TIMEOUT((address += m_bus.readAllStandardOutput()).contains('\n'), 5000);
    qputenv("DBUS_SESSION_BUS_ADDRESS", address.trimmed());
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    m_keyring.setProcessEnvironment(env);
    m_keyring.start(keyring, {QStringLiteral("--foreground"), QStringLiteral("--unlock"), QStringLiteral("--components=secrets")});
    QVERIFY2(m_keyring.waitForStarted(5000), qPrintable(m_keyring.errorString()));
    m_keyring.write("throwaway-test-keyring-password"); // a throwaway login keyring
    m_keyring.closeWriteChannel();
    // Ready once a write succeeds.
    views::KeychainStore store(QStringLiteral("cse-console-test"));
    bool ready = false;
    QString last;
    for (int i = 0; i < 50 && !ready; ++i) {
        std::optional<Result<void>> r;
        store.write(QStringLiteral("probe"), QStringLiteral("x"), [&](Result<void> res) { r = res; });
        QTRY_VERIFY_WITH_TIMEOUT(r.has_value(), 10000);
        ready = r->ok();
        if (!ready) {
            last = r->error().message;
            QTest::qWait(100);
        }
    }
    QVERIFY2(ready, qPrintable(QStringLiteral("the Secret Service did not answer: ") + last));
}

void TestKeychain::cleanupTestCase()
{
    for (QProcess *p : {&m_keyring, &m_bus})
        if (p->state() != QProcess::NotRunning) {
            p->terminate();
            if (!p->waitForFinished(5000))
                p->kill();
        }
}

Result<QString> TestKeychain::read(views::KeychainStore &store, const QString &key)
{
    std::optional<Result<QString>> r;
    store.read(key, [&](Result<QString> res) { r = res; });
    if (!QTest::qWaitFor([&] { return r.has_value(); }, 10000))
        return makeError(ErrorKind::Unreachable, QStringLiteral("no answer"));
    return *r;
}

void TestKeychain::storesAndReads()
{
    views::KeychainStore store(QStringLiteral("cse-console-test"));
    std::optional<Result<void>> written;
    store.write(QStringLiteral("profile/a"), QStringLiteral("token-123"), [&](Result<void> r) { written = r; });
    QTRY_VERIFY(written.has_value());
    QVERIFY(written->ok());
    auto r = read(store, QStringLiteral("profile/a"));
    QVERIFY2(r, qPrintable(r ? QString() : r.error().message));
    QCOMPARE(*r, QStringLiteral("token-123"));
    std::optional<Result<void>> removed;
    store.remove(QStringLiteral("profile/a"), [&](Result<void> res) { removed = res; });
    QTRY_VERIFY(removed.has_value());
    r = read(store, QStringLiteral("profile/a"));
    QVERIFY(!r);
    QVERIFY(r.error().is(ErrorKind::NotFound));
}

void TestKeychain::profileSecretGoesToKeychainOnly()
{
    test::SimProcess sim({QStringLiteral("--seed"), QStringLiteral("demo")});
    QVERIFY2(sim.start(), qPrintable(sim.error()));
    vcd::Client admin(sim.provider());
    QVERIFY(test::connect(admin));
    auto token = test::createApiToken(admin, QStringLiteral("acme"), QStringLiteral("acme-admin"));
    QVERIFY(token);

    QTemporaryDir dir;
    QSettings settings(dir.filePath(QStringLiteral("console.ini")), QSettings::IniFormat);
    views::KeychainStore store(QStringLiteral("cse-console-test"));
    views::Profile p;
    p.name = QStringLiteral("acme");
    p.url = QUrl(sim.url());
    p.org = QStringLiteral("acme");
    p.auth = views::Profile::Auth::ApiToken;
    p.fingerprint = sim.fingerprint(); // trusted before
    {
        site::Site site;
        views::MainWindow w(&site, &store, &settings);
        w.connectProfile(p, *token, true);
        QTRY_VERIFY_WITH_TIMEOUT(site.isConnected(), 20000);
        QTRY_COMPARE_WITH_TIMEOUT(w.clusterModel()->rowCount(), 2, 20000); // acme's own clusters
    }
    auto stored = read(store, p.secretKey());
    QVERIFY(stored);
    QCOMPARE(*stored, *token);
    settings.sync();
    QFile ini(settings.fileName());
    QVERIFY(ini.open(QIODevice::ReadOnly));
    const QByteArray content = ini.readAll();
    QVERIFY(content.contains("apiToken")); // the profile is there ...
    QVERIFY(!content.contains(token->toUtf8())); // ... its secret is not

    // Next time the secret comes from the keychain.
    site::Site site;
    views::MainWindow w(&site, &store, &settings);
    w.connectProfile(p, QString(), false);
    QTRY_VERIFY_WITH_TIMEOUT(site.isConnected(), 20000);
    QVERIFY(site.options().usesApiToken());
}

QTEST_MAIN(TestKeychain)
#include "tst_keychain.moc"
