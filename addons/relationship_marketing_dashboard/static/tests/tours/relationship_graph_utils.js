/** @odoo-module **/
// Copyright 2026 Relationship Marketing contributors
// License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

/**
 * A step that clicks the bar of ``label`` in the bar chart of ``box``: a real
 * click event at the bar's position on the canvas, as a user's mouse gives.
 */
export function clickGraphBar(box, label) {
    return {
        content: `Click the bar of ${label}`,
        trigger: `${box} .o_graph_renderer canvas`,
        run() {
            const canvas = this.anchor;
            const chart = window.Chart.getChart(canvas);
            const index = chart.data.labels.indexOf(label);
            if (index < 0) {
                throw new Error(`No bar ${label} in ${chart.data.labels}`);
            }
            const { x, y } = chart.getDatasetMeta(0).data[index].getCenterPoint();
            const rect = canvas.getBoundingClientRect();
            for (const type of ["mousemove", "click"]) {
                canvas.dispatchEvent(
                    new MouseEvent(type, {
                        clientX: rect.left + x,
                        clientY: rect.top + y,
                        bubbles: true,
                    })
                );
            }
        },
    };
}
