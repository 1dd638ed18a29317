// libFuzzer target: vcd-sim's FIQL parser and evaluator on arbitrary text.
#include "fiql.h"

#include <QJsonObject>
#include <QString>
#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QString text = QString::fromUtf8(reinterpret_cast<const char *>(data), qsizetype(size));
    auto f = cse::sim::FiqlFilter::parse(text);
    if (f.ok()) {
        static const QJsonObject sample{{QStringLiteral("name"), QStringLiteral("star*name")},
                                        {QStringLiteral("state"), QStringLiteral("RESOLVED")},
                                        {QStringLiteral("entity"), QJsonObject{{QStringLiteral("spec"), QJsonObject{{QStringLiteral("x"), 3}}}}}};
        (void)f->matches(sample);
    } else if (f.error().httpStatus != 400) {
        __builtin_trap(); // every refusal is a 400
    }
    return 0;
}
