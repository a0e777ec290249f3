() => {
  // gr.Plot has no click event, so a click on a heatmap cell is caught from plotly itself: it opens the sub-tab
  // of the tab's "maths of one cell", fills its query and key and presses its button. Plots are drawn (and
  // redrawn) after the page loads, so an observer hooks each one as it appears; plotly gives a redrawn plot a
  // fresh `on`, hooked again.
  const HOOKS = [{plot: "#attention-head-plot", tab: "#attention-tabs-cell-button", query: "attention-query",
                  key: "attention-key", button: "attention-explain"}];
  const hooked = new WeakMap();
  const setNumber = (id, value) => {
    const box = document.querySelector(`#${id} input`);
    box.value = value;
    box.dispatchEvent(new Event("input", {bubbles: true}));
  };
  const openTab = (tab) => {  // by its id: its title is in the page's language
    const button = document.querySelector(tab);
    if (button) button.click();
  };
  const hook = ({plot, tab, query, key, button}) => {
    for (const graph of document.querySelectorAll(`${plot} .js-plotly-plot`)) {
      if (typeof graph.on !== "function" || hooked.get(graph) === graph.on) continue;
      hooked.set(graph, graph.on);
      graph.on("plotly_click", (event) => {
        const point = event.points && event.points[0];
        if (!point || !Array.isArray(point.pointIndex)) return;  // a heatmap cell: [row, column]
        const [row, column] = point.pointIndex;
        openTab(tab);
        setTimeout(() => {  // after the sub-tab is drawn
          setNumber(query, row);
          setNumber(key, column);
          setTimeout(() => document.querySelector(`#${button}`).click(), 100);  // after the inputs settle
        }, 200);
      });
    }
  };
  new MutationObserver(() => HOOKS.forEach(hook)).observe(document.body, {childList: true, subtree: true});
}
