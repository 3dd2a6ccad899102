/** @odoo-module **/
// Copyright 2026 Relationship Marketing contributors
// License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

// Steps shared by the tours of every relationship addon, imported as
// "@relationship_marketing/../tests/tours/relationship_tour_utils" (the addons
// that have tours depend on this one; the test bundle loads it with theirs).

import { stepUtils } from "@web_tour/tour_service/tour_utils";

/**
 * Steps that open a menu of the Relationships app, as a user would: the app
 * from the home menu, then the section, then the entry.
 *
 * @param {string} sectionXmlid the top menu (Customers, Follow-ups, Reporting, Configuration)
 * @param {string} menuXmlid the entry of that section
 */
export function openRelationshipMenu(sectionXmlid, menuXmlid) {
    return [
        stepUtils.showAppsMenuItem(),
        {
            content: "Open the Relationships app",
            trigger: ".o_app[data-menu-xmlid='relationship_marketing.menu_relationship_root']",
            run: "click",
        },
        {
            content: "Open the section of the menu",
            trigger: `.o_menu_sections [data-menu-xmlid='${sectionXmlid}']`,
            run: "click",
        },
        {
            content: "Choose the menu entry",
            trigger: `.dropdown-item[data-menu-xmlid='${menuXmlid}']`,
            run: "click",
        },
    ];
}

/**
 * A step that asks the test runner for a screenshot of the page as it is now,
 * and waits until it is taken (the runner answers through
 * ``window.rmScreenshotTaken``). A browser without such a runner moves on
 * after a few seconds.
 *
 * @param {string} name file name of the screenshot, without extension
 * @param {Object} [options]
 * @param {string} [options.scrollTo] element to scroll to the top of the window first
 * @param {boolean} [options.fullPage=true] the whole page, or only what the
 *      window shows (a laptop screen)
 */
export function screenshotStep(name, { scrollTo, fullPage = true } = {}) {
    return {
        content: `Screenshot: ${name}`,
        trigger: scrollTo || "body",
        run() {
            if (scrollTo) {
                this.anchor.scrollIntoView({ block: "start" });
            }
            return new Promise((resolve) => {
                const timeout = setTimeout(resolve, 15000);
                window.rmScreenshotTaken = () => {
                    clearTimeout(timeout);
                    resolve();
                };
                console.log(`rm_screenshot:${name}${fullPage ? "" : ":viewport"}`);
            });
        },
    };
}
