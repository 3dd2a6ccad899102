/** @odoo-module **/
// Copyright 2026 Relationship Marketing contributors
// License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

import { registry } from "@web/core/registry";
import { stepUtils } from "@web_tour/tour_service/tour_utils";
import { openRelationshipMenu } from "@relationship_marketing/../tests/tours/relationship_tour_utils";

registry.category("web_tour.tours").add("relationship_followup_rule_tour", {
    url: "/odoo",
    steps: () => [
        ...openRelationshipMenu("relationship_marketing.menu_relationship_config", "relationship_marketing_followup.menu_relationship_followup_rule"),
        {
            content: "Create a rule",
            trigger: ".o_list_view .o_list_button_add",
            run: "click",
        },
        {
            content: "Name it",
            trigger: ".o_form_view .o_field_widget[name='name'] input",
            run: "edit Call back after a complaint",
        },
        {
            content: "It acts on complaints",
            trigger: ".o_field_widget[name='trigger'] select",
            run: "selectByLabel Complaint",
        },
        {
            content: "Due the next day",
            trigger: ".o_field_widget[name='delay_days'] input",
            run: "edit 1",
        },
        {
            content: "The activity is a call",
            trigger: ".o_field_widget[name='activity_type_id'] input",
            run: "edit Call",
        },
        {
            content: "Pick the call",
            trigger: ".o_field_widget[name='activity_type_id'] .o-autocomplete--dropdown-item:contains('Call')",
            run: "click",
        },
        {
            content: "For the customer's salesperson",
            trigger: ".o_field_widget[name='assign_to'] select",
            run: "selectByLabel Salesperson",
        },
        {
            content: "Say what to do",
            trigger: ".o_field_widget[name='summary'] input",
            run: "edit Call {name} about the complaint",
        },
        ...stepUtils.saveForm(),
        {
            content: "Back to the playbook",
            trigger: ".o_breadcrumb .breadcrumb-item a:contains('Follow-up Rules')",
            run: "click",
        },
        {
            content: "The rule is in the playbook",
            trigger: ".o_list_view .o_data_row:contains('Call back after a complaint'):contains('Complaint')",
        },
    ],
});
