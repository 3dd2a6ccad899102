/** @odoo-module **/
// Copyright 2026 Relationship Marketing contributors
// License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

import { registry } from "@web/core/registry";
import { useService } from "@web/core/utils/hooks";
import { KanbanRenderer } from "@web/views/kanban/kanban_renderer";
import { kanbanView } from "@web/views/kanban/kanban_view";

const STAGE_FIELD = "relationship_stage_id";

/**
 * The customers' kanban by rung of the ladder. A card dragged down the
 * ladder does not move at once: the backward-move wizard asks for a reason
 * first (and locks the stage by default). A drag up the ladder moves as ever.
 */
export class LadderKanbanRenderer extends KanbanRenderer {
    setup() {
        super.setup();
        this.action = useService("action");
        this.orm = useService("orm");
    }

    async sortRecordDrop(dataRecordId, dataGroupId, params) {
        const { list } = this.props;
        const groups = list.isGrouped && list.groupByField.name === STAGE_FIELD ? list.groups : [];
        const from = groups.findIndex((group) => group.id === dataGroupId);
        const to = groups.findIndex((group) => group.id === params.parent?.dataset.id);
        // The columns follow the ladder: only a drop on a column to the left
        // may be a move down; the server says whether it is one.
        if (from < 0 || to < 0 || to >= from) {
            return super.sortRecordDrop(...arguments);
        }
        params.parent.classList.remove("o_kanban_hover");
        const record = groups[from].list.records.find((rec) => rec.id === dataRecordId);
        const action = await this.orm.call("res.partner", "relationship_stage_drop_action", [
            [record.resId],
            groups[to].value,
        ]);
        if (!action) {
            return list.moveRecord(dataRecordId, dataGroupId, null, groups[to].id);
        }
        // The card stays in its column until the wizard is confirmed (which
        // reloads the view); cancelled, nothing moved.
        return this.action.doAction(action);
    }
}

registry.category("views").add("relationship_ladder_kanban", {
    ...kanbanView,
    Renderer: LadderKanbanRenderer,
});
