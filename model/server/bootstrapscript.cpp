#include "bootstrapscript.h"

#include "rde/json.h"

#include <QFile>
#include <QHash>
#include <QJsonArray>

namespace cse::server {

namespace {

QString text(const QJsonObject &o, const QStringList &path, const QString &fallback)
{
    const QString v = json::get(o, path).toString();
    return v.isEmpty() ? fallback : v;
}

// A value for a double-quoted shell assignment in bootstrap.env.
QString shellQuoted(const QString &v)
{
    QString out = v;
    out.replace(QLatin1Char('\\'), QStringLiteral("\\\\"));
    out.replace(QLatin1Char('"'), QStringLiteral("\\\""));
    out.replace(QLatin1Char('$'), QStringLiteral("\\$"));
    out.replace(QLatin1Char('`'), QStringLiteral("\\`"));
    out.remove(QLatin1Char('\n'));
    return QLatin1Char('"') + out + QLatin1Char('"');
}

} // namespace

QByteArray bootstrapScript()
{
    QFile f(QStringLiteral(":/bootstrap/bootstrap.sh"));
    if (!f.open(QIODevice::ReadOnly))
        return {};
    return f.readAll();
}

Result<QByteArray> renderBootstrapCloudConfig(const BootstrapInputs &in)
{
    const QByteArray script = bootstrapScript();
    if (script.isEmpty())
        return makeError(QStringLiteral("the bootstrap script resource is missing from this build"));
    if (in.capiYaml.isEmpty() || in.clusterName.isEmpty())
        return makeError(ErrorKind::Invalid, QStringLiteral("the bootstrap VM needs the cluster's name and capiYaml"));
    const QJsonObject &b = in.bootstrapClusterConfig;
    const QJsonObject capi = b.value(QLatin1String("capiEcosystem")).toObject();
    const QJsonObject proxy = b.value(QLatin1String("proxyConfig")).toObject();
    QStringList env;
    auto add = [&env](const char *key, const QString &value) { env << QStringLiteral("%1=%2").arg(QLatin1String(key), shellQuoted(value)); };
    add("CSE_CLUSTER_ID", in.clusterId);
    add("CSE_CLUSTER_NAME", in.clusterName);
    add("CSE_CLUSTER_NAMESPACE", in.clusterNamespace.isEmpty() ? QStringLiteral("default") : in.clusterNamespace);
    add("CSE_USERNAME", in.username);
    add("CSE_DOCKER_VERSION", b.value(QLatin1String("dockerVersion")).toString());
    add("CSE_KIND_VERSION", text(b, {QStringLiteral("kindVersion")}, QStringLiteral("v0.19.0")));
    add("CSE_KINDEST_NODE_VERSION", text(b, {QStringLiteral("kindestNodeVersion")}, QStringLiteral("v1.27.1")));
    add("CSE_KUBECTL_VERSION", text(b, {QStringLiteral("kubectlVersion")}, QStringLiteral("v1.27.1")));
    add("CSE_CLUSTERCTL_VERSION", text(b, {QStringLiteral("clusterctl"), QStringLiteral("version")}, QStringLiteral("v1.4.0")));
    add("CSE_CAPI_VERSION", text(capi, {QStringLiteral("coreCapiVersion")}, QStringLiteral("v1.4.0")));
    add("CSE_CAPVCD_VERSION", text(capi, {QStringLiteral("infraProvider"), QStringLiteral("version")}, QStringLiteral("v1.3.0")));
    add("CSE_CERT_MANAGER_VERSION", text(capi, {QStringLiteral("certManagerVersion")}, QStringLiteral("v1.11.1")));
    add("CSE_HTTP_PROXY", proxy.value(QLatin1String("httpProxy")).toString());
    add("CSE_HTTPS_PROXY", proxy.value(QLatin1String("httpsProxy")).toString());
    add("CSE_NO_PROXY", proxy.value(QLatin1String("noProxy")).toString());

    struct File
    {
        QString path, permissions;
        QByteArray content;
    };
    QList<File> files{{bootstrapfile::kScript, QStringLiteral("0700"), script},
                      {bootstrapfile::kEnv, QStringLiteral("0600"), env.join(QLatin1Char('\n')).toUtf8() + '\n'},
                      {bootstrapfile::kCapiYaml, QStringLiteral("0600"), in.capiYaml.toUtf8()}};
    int n = 0;
    for (const QJsonValue &ca : b.value(QLatin1String("certificateAuthorities")).toArray()) {
        const QString pem = ca.isObject() ? ca.toObject().value(QLatin1String("certificate")).toString() : ca.toString();
        if (!pem.isEmpty())
            files.append({QStringLiteral("/usr/local/share/ca-certificates/cse-%1.crt").arg(++n), QStringLiteral("0644"), pem.toUtf8()});
    }
    QByteArray out = "#cloud-config\n# cse-server bootstrap VM\nwrite_files:\n";
    for (const File &f : files)
        out += "- path: " + f.path.toUtf8() + "\n  permissions: '" + f.permissions.toUtf8() + "'\n  encoding: b64\n  content: "
               + f.content.toBase64() + "\n";
    out += "runcmd:\n- [" + bootstrapfile::kScript.toUtf8() + "]\n";
    return out;
}

QHash<QString, QByteArray> cloudConfigFiles(const QByteArray &cloudConfig)
{
    QHash<QString, QByteArray> files;
    QString path;
    for (const QByteArray &raw : cloudConfig.split('\n')) {
        const QByteArray line = raw.trimmed();
        if (line.startsWith("- path: "))
            path = QString::fromUtf8(line.mid(8));
        else if (line.startsWith("content: ") && !path.isEmpty())
            files.insert(path, QByteArray::fromBase64(line.mid(9)));
    }
    return files;
}

} // namespace cse::server
