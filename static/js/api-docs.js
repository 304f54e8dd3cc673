// Starts Swagger UI on the API documentation page (templates/api/docs.html)
// from the schema URL the page names; read-only, so "Try it out" only sends
// GET requests to this site.
(function () {
  "use strict";
  var root = document.getElementById("swagger-ui");
  if (!root || typeof window.SwaggerUIBundle !== "function") {
    return;
  }
  window.SwaggerUIBundle({
    url: root.getAttribute("data-schema-url"),
    domNode: root,
    deepLinking: false,
    supportedSubmitMethods: ["get"],
    validatorUrl: null,
    defaultModelsExpandDepth: 0,
  });
})();
