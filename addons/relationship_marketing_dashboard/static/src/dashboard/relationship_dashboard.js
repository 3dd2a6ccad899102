/** @odoo-module **/
// Copyright 2026 Relationship Marketing contributors
// License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

import { Component, onWillStart, useState } from "@odoo/owl";
import { rpc } from "@web/core/network/rpc";
import { Domain } from "@web/core/domain";
import { deserializeDateTime, formatDateTime } from "@web/core/l10n/dates";
import { _t } from "@web/core/l10n/translation";
import { registry } from "@web/core/registry";
import { user } from "@web/core/user";
import { useService } from "@web/core/utils/hooks";
import { Layout } from "@web/search/layout";
import { standardActionServiceProps } from "@web/webclient/actions/action_service";
import { View } from "@web/views/view";

/**
 * One box of the dashboard: the graph, pivot or list view of a report action,
 * narrowed to the user's customers when asked.
 */
export class RelationshipDashboardBox extends Component {
    static template = "relationship_marketing_dashboard.DashboardBox";
    static components = { View };
    static props = { box: Object, myCustomers: Boolean };

    setup() {
        this.actionService = useService("action");
        onWillStart(async () => {
            // the action's views (the report's own graph, pivot, list, search)
            this.action = await rpc("/web/action/load", { action_id: this.props.box.action_id });
        });
    }

    get viewProps() {
        const { box, myCustomers } = this.props;
        const action = this.action;
        const viewId = (action.views.find((v) => v[1] === box.view_mode) || [false])[0];
        const searchViewId = action.search_view_id ? action.search_view_id[0] : false;
        const domains = [box.domain];
        if (myCustomers) {
            domains.push(box.my_domain);
        }
        const props = {
            resModel: action.res_model,
            type: box.view_mode,
            views: [
                [viewId, box.view_mode],
                [searchViewId, "search"],
            ],
            display: { controlPanel: false },
            domain: Domain.and(domains).toList(),
            context: { ...box.context, lang: user.context.lang },
            selectRecord: (resId) =>
                this.actionService.doAction({
                    type: "ir.actions.act_window",
                    res_model: action.res_model,
                    res_id: resId,
                    views: [[false, "form"]],
                }),
        };
        if (box.view_mode === "list") {
            props.allowSelectors = false;
        }
        return props;
    }
}

/**
 * The Relationships dashboard: the funnel, conversion, time in stage, key
 * indicators and the customers who need action, as of the last refresh of
 * the reports; any relationship user may refresh them and narrow them to
 * "my customers".
 */
export class RelationshipDashboard extends Component {
    static template = "relationship_marketing_dashboard.Dashboard";
    static components = { Layout, RelationshipDashboardBox };
    static props = { ...standardActionServiceProps };

    setup() {
        this.orm = useService("orm");
        this.notification = useService("notification");
        this.env.config.setDisplayName(this.props.action.name || _t("Relationship Dashboard"));
        const saved = this.props.state || {};
        this.state = useState({
            boxes: [],
            refreshedAt: false,
            myCustomers: Boolean(saved.myCustomers),
            refreshing: false,
            // changes when the figures change: the boxes load again
            version: 0,
        });
        onWillStart(() => this.load());
    }

    async load() {
        this.apply(await this.orm.call("relationship.dashboard", "get_dashboard", []));
    }

    apply({ boxes, refreshed_at }) {
        this.state.boxes = boxes;
        this.state.refreshedAt = refreshed_at;
        this.state.version++;
    }

    get asOf() {
        return this.state.refreshedAt
            ? formatDateTime(deserializeDateTime(this.state.refreshedAt), { showSeconds: false })
            : _t("never");
    }

    async onRefresh() {
        this.state.refreshing = true;
        try {
            this.apply(await this.orm.call("relationship.dashboard", "action_refresh", []));
            this.notification.add(_t("The dashboard shows the figures of now."), {
                type: "success",
            });
        } finally {
            this.state.refreshing = false;
        }
    }

    toggleMyCustomers() {
        this.state.myCustomers = !this.state.myCustomers;
        // kept when the user comes back from a drill-down
        this.props.updateActionState?.({ myCustomers: this.state.myCustomers });
    }
}

registry.category("actions").add("relationship_marketing_dashboard.dashboard", RelationshipDashboard);
