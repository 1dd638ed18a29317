#include "listequivalence.h"

#include "entitylist.h"
#include "rde/json.h"

#include <QJsonArray>
#include <QRandomGenerator>
#include <QUuid>

namespace cse::test {

namespace {

const QStringList kTypes = {QStringLiteral("urn:vcloud:type:test:alpha:1.0.0"), QStringLiteral("urn:vcloud:type:test:beta:1.0.0")};
const QStringList kOrgs = {QStringLiteral("urn:vcloud:org:11111111-1111-1111-1111-111111111111"),
                           QStringLiteral("urn:vcloud:org:22222222-2222-2222-2222-222222222222"),
                           QStringLiteral("urn:vcloud:org:33333333-3333-3333-3333-333333333333")};

// Text that stresses patterns and ordering: wildcard and LIKE/GLOB
// characters, case, non-ASCII below U+D800, empty text.
const QStringList kWords = {QStringLiteral("provisioned"), QStringLiteral("provisioning"), QStringLiteral("deleting"),
                            QStringLiteral("error"), QStringLiteral(""), QStringLiteral("Provisioned"), QStringLiteral("a*b"),
                            QStringLiteral("a%b"), QStringLiteral("a_b"), QStringLiteral("a[b]"), QStringLiteral("a?b"),
                            QStringLiteral("x!y"), QStringLiteral("caf\u00e9"), QStringLiteral("\u00e4rger"), QStringLiteral("true"),
                            QStringLiteral("false"), QStringLiteral("null"), QStringLiteral("3"), QStringLiteral("3.0"),
                            QStringLiteral("-1"), QStringLiteral("10"), QStringLiteral("2.5"), QStringLiteral("a\\b"),
                            QStringLiteral("it's"), QStringLiteral("say \"hi\""), QStringLiteral("semi;colon")};

class Gen
{
public:
    explicit Gen(quint32 seed) : m_rng(seed) {}
    int below(int n) { return int(m_rng.bounded(n)); }
    bool chance(int percent) { return below(100) < percent; }
    template<typename T>
    const T &pick(const QList<T> &l) { return l.at(below(int(l.size()))); }

    // A scalar, object, array or nothing (Undefined).
    QJsonValue value(bool allowMissing = true)
    {
        switch (below(allowMissing ? 10 : 9)) {
        case 0:
        case 1:
        case 2:
            return pick(kWords);
        case 3:
            return below(11) - 5;
        case 4:
            return (below(21) - 10) / 4.0;
        case 5:
            return chance(50);
        case 6:
            return QJsonValue(QJsonValue::Null);
        case 7:
            return QJsonObject{{QStringLiteral("x"), below(3)}};
        case 8:
            return QJsonArray{1, QStringLiteral("two")};
        default:
            return QJsonValue(QJsonValue::Undefined);
        }
    }

    QJsonObject entityJson()
    {
        QJsonObject o;
        auto put = [&](QJsonObject &obj, const QString &k, const QJsonValue &v) {
            if (!v.isUndefined())
                obj.insert(k, v);
        };
        // Mostly the shapes the server writes, sometimes anything.
        put(o, QStringLiteral("state"), chance(70) ? QJsonValue(pick(kWords.mid(0, 6))) : value());
        put(o, QStringLiteral("n"), value());
        put(o, QStringLiteral("instanceId"), chance(80) ? QJsonValue(QString::number(below(40))) : value());
        put(o, QStringLiteral("a b"), value());
        if (chance(85)) {
            QJsonObject vcdKe;
            put(vcdKe, QStringLiteral("markForDelete"), chance(70) ? QJsonValue(chance(30)) : value());
            put(vcdKe, QStringLiteral("isVCDKECluster"), chance(80) ? QJsonValue(true) : value());
            o.insert(QStringLiteral("spec"), QJsonObject{{QStringLiteral("vcdKe"), vcdKe}});
        }
        if (chance(80)) {
            QJsonObject vcdKe;
            put(vcdKe, QStringLiteral("state"), chance(70) ? QJsonValue(pick(kWords.mid(0, 4))) : value());
            put(vcdKe, QStringLiteral("ownerEpoch"), chance(70) ? QJsonValue(below(5)) : value());
            o.insert(QStringLiteral("status"), QJsonObject{{QStringLiteral("vcdKe"), vcdKe}});
        } else {
            put(o, QStringLiteral("status"), value());
        }
        // The beta type declares secret.token secure: lists never show it.
        if (chance(70))
            o.insert(QStringLiteral("secret"), chance(80) ? QJsonValue(QJsonObject{{QStringLiteral("token"), pick(kWords)}}) : value(false));
        return o;
    }

    QString literal()
    {
        const int k = below(10);
        if (k < 6)
            return pick(kWords);
        if (k < 8)
            return QString::number(below(11) - 5);
        if (k < 9)
            return QStringLiteral("1e0");
        return QStringLiteral("\u00e9");
    }

    // One value in FIQL, quoted, with optional unescaped '*' wildcards.
    QString fiqlValue(bool wildcard)
    {
        QString text = literal();
        QString out = QStringLiteral("\"");
        for (const QChar c : text) {
            if (c == QLatin1Char('"') || c == QLatin1Char('\\') || c == QLatin1Char('*'))
                out += QLatin1Char('\\');
            out += c;
        }
        out += QLatin1Char('"');
        if (wildcard) {
            const int where = below(3);
            if (where == 0)
                out.insert(1, QLatin1Char('*'));
            else if (where == 1)
                out.insert(out.size() - 1, QLatin1Char('*'));
            else
                out = QStringLiteral("\"*") + out.mid(1, out.size() / 2) + QStringLiteral("*\"");
            if (out.count(QLatin1Char('"')) % 2) // cut an escape in half: keep it simple
                out = QStringLiteral("\"*\"");
        }
        return out;
    }

    QString key()
    {
        static const QStringList keys = {
            QStringLiteral("name"), QStringLiteral("state"), QStringLiteral("externalId"), QStringLiteral("org.name"),
            QStringLiteral("owner.name"), QStringLiteral("creationDate"), QStringLiteral("entityState"),
            QStringLiteral("entity.state"), QStringLiteral("entity.n"), QStringLiteral("entity.instanceId"),
            QStringLiteral("entity.spec.vcdKe.markForDelete"), QStringLiteral("entity.spec.vcdKe.isVCDKECluster"),
            QStringLiteral("entity.status.vcdKe.state"), QStringLiteral("entity.status.vcdKe.ownerEpoch"),
            QStringLiteral("entity.status"), QStringLiteral("entity.secret.token"), QStringLiteral("entity.secret"),
            QStringLiteral("entity.missing"), QStringLiteral("entity.a b"), QStringLiteral("entity.status.vcdKe"),
            QStringLiteral("entity.n.x")};
        return pick(keys);
    }

    QString filter(int depth = 0)
    {
        if (depth < 2 && chance(45)) {
            const int n = 2 + below(2);
            QStringList parts;
            for (int i = 0; i < n; ++i)
                parts << filter(depth + 1);
            return QLatin1Char('(') + parts.join(chance(50) ? QLatin1Char(';') : QLatin1Char(',')) + QLatin1Char(')');
        }
        static const QStringList ops = {QStringLiteral("=="), QStringLiteral("!="), QStringLiteral("=lt="),
                                        QStringLiteral("=le="), QStringLiteral("=gt="), QStringLiteral("=ge=")};
        const QString op = pick(ops);
        const bool wildcard = (op == QLatin1String("==") || op == QLatin1String("!=")) && chance(25);
        return key() + op + fiqlValue(wildcard);
    }

private:
    QRandomGenerator m_rng;
};

} // namespace

ListEquivalenceReport compareRandomLists(sim::Store &store, quint32 seed, int entities, int lists)
{
    ListEquivalenceReport report;
    Gen g(seed);
    QList<sim::EntityRow> rows;
    const QStringList owners = {QStringLiteral("alice"), QStringLiteral("bob"), QString(), QStringLiteral("Zed")};
    for (int i = 0; i < entities; ++i) {
        sim::EntityRow r;
        const QString type = g.pick(kTypes);
        r.e.id = QStringLiteral("urn:vcloud:entity:test:%1:%2").arg(type.section(QLatin1Char(':'), 4, 4),
                                                                     QUuid::createUuid().toString(QUuid::WithoutBraces));
        r.e.entityType = type;
        r.e.name = g.chance(80) ? QStringLiteral("cluster-%1").arg(g.below(50)) : g.pick(kWords);
        const int ext = g.below(3);
        r.e.externalId = ext == 0 ? QString() : ext == 1 ? QStringLiteral("") : g.pick(kWords);
        r.e.entity = g.entityJson();
        r.e.state = g.pick(QStringList{QStringLiteral("PRE_CREATED"), QStringLiteral("RESOLVED"), QStringLiteral("RESOLUTION_ERROR")});
        r.e.entityState = r.e.state;
        const int org = g.below(int(kOrgs.size()));
        r.e.org = {QStringLiteral("org%1").arg(org), kOrgs.at(org)};
        r.e.owner = {g.pick(owners), QStringLiteral("urn:vcloud:user:%1").arg(g.below(4))};
        // Few distinct timestamps: ties in creation order are decided by id.
        r.e.creationDate = QStringLiteral("2026-01-01T00:00:%1.000Z").arg(g.below(20), 2, 10, QLatin1Char('0'));
        r.e.lastModificationDate = r.e.creationDate;
        r.etag = 1;
        rows << r;
    }
    if (auto ok = store.insertEntities(rows, QStringLiteral("test")); !ok) {
        report.mismatch = QStringLiteral("insert failed: ") + ok.error().message;
        return report;
    }
    QHash<QString, QStringList> secure{{kTypes.at(1), {QStringLiteral("secret.token")}}, {kTypes.at(0), {}}};
    static const QStringList sortKeys = {QStringLiteral("name"), QStringLiteral("externalId"), QStringLiteral("owner.name"),
                                         QStringLiteral("creationDate"), QStringLiteral("entity.state"), QStringLiteral("entity.n"),
                                         QStringLiteral("entity.status.vcdKe.state"), QStringLiteral("entity.status.vcdKe.ownerEpoch"),
                                         QStringLiteral("entity.secret.token"), QStringLiteral("entity.missing"),
                                         QStringLiteral("entity.a b")};
    for (int i = 0; i < lists; ++i) {
        const QString text = g.filter();
        auto filter = sim::FiqlFilter::parse(text);
        if (!filter) {
            report.mismatch = QStringLiteral("generated filter did not parse: %1: %2").arg(text, filter.error().message);
            return report;
        }
        sim::EntityListQuery q;
        q.typeIds = g.chance(70) ? kTypes : QStringList{g.pick(kTypes)};
        q.orgId = g.chance(40) ? QString() : g.pick(kOrgs);
        q.filter = *filter;
        q.sortKey = g.chance(60) ? g.pick(sortKeys) : QString();
        q.descending = g.chance(50);
        q.pageSize = g.pick(QList<int>{1, 7, 25, 128});
        q.page = 1 + g.below(3);
        q.securePaths = secure;
        auto viaSql = sim::listEntities(store, q, sim::ListEvaluation::Sql);
        auto reference = sim::listEntities(store, q, sim::ListEvaluation::InMemory);
        const QString what = QStringLiteral("seed %1, list %2: filter %3, sort %4%5, org %6, page %7 of size %8")
                                 .arg(seed).arg(i).arg(text, q.sortKey.isEmpty() ? QStringLiteral("-") : q.sortKey,
                                                       q.descending ? QStringLiteral(" desc") : QString(),
                                                       q.orgId.isEmpty() ? QStringLiteral("all") : q.orgId)
                                 .arg(q.page).arg(q.pageSize);
        if (!viaSql || !reference) {
            report.mismatch = what + QStringLiteral(": failed: ") + (viaSql ? reference.error() : viaSql.error()).message;
            return report;
        }
        ++report.lists;
        if (!viaSql->evaluatedInMemory)
            ++report.decidedInSql;
        QStringList a, b;
        for (const auto &r : viaSql->rows)
            a << r.e.id + QLatin1Char(' ') + QString::fromUtf8(json::canonical(r.e.entity));
        for (const auto &r : reference->rows)
            b << r.e.id + QLatin1Char(' ') + QString::fromUtf8(json::canonical(r.e.entity));
        if (viaSql->total != reference->total || a != b) {
            report.mismatch = QStringLiteral("%1: SQL total %2, in-memory total %3\nSQL:\n  %4\nin-memory:\n  %5")
                                  .arg(what).arg(viaSql->total).arg(reference->total)
                                  .arg(a.join(QStringLiteral("\n  ")), b.join(QStringLiteral("\n  ")));
            return report;
        }
    }
    return report;
}

} // namespace cse::test
