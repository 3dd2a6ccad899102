/** @odoo-module **/
// Copyright 2026 Relationship Marketing contributors
// License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
// A satisfaction check marked done from the chatter asks for the score first.
import {ActivityMarkAsDone} from "@mail/core/web/activity_markasdone_popover";
import {patch} from "@web/core/utils/patch";

patch(ActivityMarkAsDone.prototype, {
    async onClickDone() {
        const activity = this.props.activity;
        const action = await this.env.services.orm.call(
            "mail.activity",
            "relationship_followup_score_action",
            [[activity.id]]
        );
        if (!action) {
            return super.onClickDone(...arguments);
        }
        const thread = this.env.services["mail.store"].Thread.insert({
            model: activity.res_model,
            id: activity.res_id,
        });
        this.props.close?.();
        await this.env.services.action.doAction(action, {
            onClose: async () => {
                this.props.onActivityChanged(thread);
                await thread.fetchNewMessages();
            },
        });
    },
});
