/** @odoo-module **/
// Copyright 2026 Relationship Marketing contributors
// License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

import { registry } from "@web/core/registry";
import { screenshotStep } from "@relationship_marketing/../tests/tours/relationship_tour_utils";

const column = (stage) => `.o_kanban_group:has(.o_column_title:contains('${stage}'))`;
const ADA = ".o_kanban_record:contains('Ada Lovelace')";

// A salesperson drags a card down the ladder: the move asks for a reason
// first; a drag up the ladder stays one move.
registry.category("web_tour.tours").add("relationship_kanban_backward_tour", {
    steps: () => [
        {
            content: "Ada is a repeat customer",
            trigger: `${column("Repeat customer")} ${ADA}`,
        },
        {
            content: "Drag Ada back to the first-time customers",
            trigger: ADA,
            run: `drag_and_drop(${column("First-time customer")})`,
        },
        {
            content: "The move down asks for a reason: cancel it",
            trigger: ".modal:contains('Move Back on the Ladder') button:contains('Cancel')",
            run: "click",
        },
        {
            content: "Cancelled, Ada has not moved",
            trigger: `body:not(:has(.modal)) ${column("Repeat customer")} ${ADA}`,
        },
        {
            content: "Drag Ada back again",
            trigger: ADA,
            run: `drag_and_drop(${column("First-time customer")})`,
        },
        {
            content: "The move down asks for a reason first",
            trigger:
                ".modal:contains('Move Back on the Ladder') .o_field_widget[name='stage_from']:contains('Repeat customer')",
        },
        {
            content: "It names Ada and the rung she would move to",
            trigger:
                ".modal:has(.o_field_widget[name='partner_ids']:contains('Ada Lovelace')) .o_field_widget[name='stage_id']:contains('First-time customer')",
        },
        {
            content: "Ada has not moved meanwhile",
            trigger: `${column("Repeat customer")} ${ADA}`,
        },
        {
            content: "Say why",
            trigger: ".modal .o_field_widget[name='reason'] textarea",
            run: "edit She returned the second order",
        },
        {
            content: "The stage is locked by default",
            trigger: ".modal .o_field_widget[name='lock'] input:checked",
        },
        screenshotStep("relationship_kanban_backward", { fullPage: false }),
        {
            content: "Confirm the move",
            trigger: ".modal button[name='action_confirm']",
            run: "click",
        },
        {
            content: "Ada is a first-time customer now",
            trigger: `body:not(:has(.modal)) ${column("First-time customer")} ${ADA}`,
        },
        {
            content: "Drag Ada up to the clients",
            trigger: ADA,
            run: `drag_and_drop(${column("Client")})`,
        },
        {
            content: "A move up the ladder asks nothing",
            trigger: `body:not(:has(.modal)) ${column("Client")} ${ADA}`,
            run: "click",
        },
        {
            content: "Her form says Client, as saved",
            trigger: ".o_form_view .o_statusbar_status button.o_arrow_button_current:contains('Client')",
        },
    ],
});
