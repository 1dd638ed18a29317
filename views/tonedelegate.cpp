#include "tonedelegate.h"

#include "items/clustermodel.h"

#include <QColor>
#include <QPalette>

namespace cse::views {

QColor ToneDelegate::colour(int tone)
{
    switch (items::Tone(tone)) {
    case items::Tone::Good: return QColor(0x2e, 0x7d, 0x32);
    case items::Tone::Busy: return QColor(0x15, 0x65, 0xc0);
    case items::Tone::Warning: return QColor(0xb2, 0x6a, 0x00);
    case items::Tone::Bad: return QColor(0xc6, 0x28, 0x28);
    case items::Tone::Neutral: break;
    }
    return {};
}

void ToneDelegate::initStyleOption(QStyleOptionViewItem *option, const QModelIndex &index) const
{
    QStyledItemDelegate::initStyleOption(option, index);
    const QColor c = colour(index.data(m_toneRole).toInt());
    if (c.isValid())
        option->palette.setColor(QPalette::Text, c);
}

} // namespace cse::views
