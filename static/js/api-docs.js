// The interactive API documentation (/api/docs/): Swagger UI from the bundled files, reading the
// schema named on the page. No inline script, so it runs under a strict Content-Security-Policy.
"use strict";

(function () {
  var root = document.getElementById("swagger-ui");
  if (!root || typeof SwaggerUIBundle === "undefined") {
    return;
  }

  function cookie(name) {
    var match = document.cookie.match(new RegExp("(?:^|; )" + name + "=([^;]*)"));
    return match ? decodeURIComponent(match[1]) : "";
  }

  // Signed in to the site, "Try it out" works with the session; a write needs the CSRF token.
  function addCsrfToken(request) {
    if (request.method && request.method !== "GET" && !request.headers.Authorization) {
      request.headers["X-CSRFToken"] = cookie("csrftoken");
    }
    return request;
  }

  window.ui = SwaggerUIBundle({
    url: root.getAttribute("data-schema-url"),
    dom_id: "#swagger-ui",
    presets: [SwaggerUIBundle.presets.apis],
    layout: "BaseLayout",
    deepLinking: true,
    persistAuthorization: false,
    requestInterceptor: addCsrfToken,
  });
})();
