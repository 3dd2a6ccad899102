/** @odoo-module **/
// Copyright 2026 Relationship Marketing contributors
// License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

import { formatDate } from "@web/core/l10n/dates";
import { registry } from "@web/core/registry";
import { DateTimeField, dateTimeField } from "@web/views/fields/datetime/datetime_field";

/**
 * Whether an order's date is a day only: most sources give no time, and such
 * an order is stored at midnight UTC.
 *
 * @param {import("luxon").DateTime} value
 */
export function isDayOnly(value) {
    const utc = value.toUTC();
    return utc.hour === 0 && utc.minute === 0 && utc.second === 0;
}

/**
 * The date of an order, as its source gave it: the day alone (the day of the
 * source, not shifted by the user's time zone) for an order without a time;
 * else the date and time, without seconds.
 */
export class OrderDateField extends DateTimeField {
    getFormattedValue(valueIndex) {
        const value = this.values[valueIndex];
        if (value && this.field.type === "datetime" && isDayOnly(value)) {
            return formatDate(value.toUTC());
        }
        return super.getFormattedValue(valueIndex);
    }
}

registry.category("fields").add("relationship_order_date", {
    ...dateTimeField,
    component: OrderDateField,
    extractProps: (fieldInfo, dynamicInfo) => ({
        ...dateTimeField.extractProps(fieldInfo, dynamicInfo),
        showSeconds: false,
    }),
});
