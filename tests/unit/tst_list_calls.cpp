// Every list in the product goes through vcd::Client's one paged list
// (listPages / listValues / listRecords / listEntities). This test reads the
// product's sources and fails on a list read by hand: a page size set in a
// query, a page's "values" read from a reply, or a query-service answer
// parsed outside the client. Each of those was a first-page-only list.
#include <QDirIterator>
#include <QFile>
#include <QRegularExpression>
#include <QtTest>

class TestListCalls : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void noListByHand_data();
    void noListByHand();
};

void TestListCalls::noListByHand_data()
{
    QTest::addColumn<QString>("pattern");
    QTest::addColumn<QString>("why");
    QTest::newRow("pageSize") << QStringLiteral("\"pageSize\"") << QStringLiteral("sets a page size: use Client::listValues");
    // Reading a reply's "values" (a request body that writes "values", as
    // the installer's PUT of a role's rights, is no list).
    QTest::newRow("values") << QStringLiteral("value\\((QLatin1String|QStringLiteral)\\(\"values\"\\)\\)|\\[\"values\"\\]")
                            << QStringLiteral("reads one page's values: use Client::listValues");
    QTest::newRow("query records") << QStringLiteral("readQueryRecords\\(") << QStringLiteral("reads one query page: use Client::listRecords");
    QTest::newRow("pageCount") << QStringLiteral("\"pageCount\"") << QStringLiteral("pages by hand: use Client::listPages");
}

void TestListCalls::noListByHand()
{
    QFETCH(QString, pattern);
    QFETCH(QString, why);
    const QRegularExpression re(pattern);
    // The paged list itself and the XML parser it uses are the only readers.
    const QStringList allowed{QStringLiteral("model/vcd/client.cpp"), QStringLiteral("model/vcd/client.h"),
                              QStringLiteral("model/vcd/vappxml.cpp"), QStringLiteral("model/vcd/vappxml.h")};
    const QDir root(QStringLiteral(CSE_SOURCE_DIR));
    QStringList found;
    int files = 0;
    for (const QString &dir : {QStringLiteral("model"), QStringLiteral("app"), QStringLiteral("views")}) {
        QDirIterator it(root.filePath(dir), {QStringLiteral("*.cpp"), QStringLiteral("*.h")}, QDir::Files, QDirIterator::Subdirectories);
        while (it.hasNext()) {
            const QString path = it.next();
            const QString rel = root.relativeFilePath(path);
            if (allowed.contains(rel))
                continue;
            QFile f(path);
            QVERIFY(f.open(QIODevice::ReadOnly));
            ++files;
            int line = 0;
            while (!f.atEnd()) {
                ++line;
                const QString text = QString::fromUtf8(f.readLine());
                if (text.trimmed().startsWith(QLatin1String("//")))
                    continue;
                if (re.match(text).hasMatch())
                    found << QStringLiteral("%1:%2: %3").arg(rel).arg(line).arg(text.trimmed());
            }
        }
    }
    QVERIFY2(files > 50, "the product's sources were not found");
    QVERIFY2(found.isEmpty(), qPrintable(why + QStringLiteral(":\n") + found.join(QLatin1Char('\n'))));
}

QTEST_GUILESS_MAIN(TestListCalls)
#include "tst_list_calls.moc"
