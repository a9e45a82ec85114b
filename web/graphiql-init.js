// Starts GraphiQL (UMD build, globals React, ReactDOM and GraphiQL) in
// #graphiql. Configuration comes from data-* attributes rendered by
// package grappe/web, so the page needs no inline script.
(function () {
  "use strict";
  var el = document.getElementById("graphiql");
  var cfg = el.dataset;
  var fetcher = GraphiQL.createFetcher({
    url: new URL(cfg.endpoint, window.location.href).href,
  });
  ReactDOM.createRoot(el).render(
    React.createElement(GraphiQL, {
      fetcher: fetcher,
      defaultQuery: cfg.defaultQuery,
      // The headers tab starts as "{}"; paste e.g.
      // {"Authorization": "Bearer <token>"} there.
      defaultHeaders: cfg.defaultHeaders,
      isHeadersEditorEnabled: true,
      // Do not write bearer tokens to localStorage.
      shouldPersistHeaders: false,
      defaultEditorToolsVisibility: "headers",
    })
  );
})();
