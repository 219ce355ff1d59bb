// The back-office of cufpress: started by hand once Decap CMS is loaded
// (so that it starts only where it can save), with the theme's CSS in the
// preview pane and the checks of `cufpress check` that Decap's own
// per-field rules cannot express.
window.CMS_MANUAL_INIT = true;

(function () {
  "use strict";
  var body = document.body;
  var local = ["localhost", "127.0.0.1", "[::1]"].indexOf(location.hostname) >= 0;

  // Values Decap writes for fields left empty: cufpress reads "" as a value
  // (an empty address, an unknown group), so they are left out.
  function isEmpty(v) {
    if (v === null || v === undefined || v === "") return true;
    if (v && typeof v.size === "number" && typeof v.filter === "function") return v.size === 0;
    return false;
  }
  function prune(v) {
    // Immutable Map or List (Decap's entry data).
    if (v && typeof v.filterNot === "function" && typeof v.map === "function") {
      return v.map(prune).filterNot(isEmpty);
    }
    return v;
  }

  // The article preview in the markup of the theme's article page, so that
  // its CSS lays it out as the site will.
  function registerArticlePreview(CMS) {
    var h = window.h;
    var createClass = window.createClass;
    if (!h || !createClass) return;
    var Preview = createClass({
      render: function () {
        var data = this.props.entry.get("data");
        var text = function (k) {
          var v = data.get(k);
          return isEmpty(v) ? null : String(v);
        };
        var image = text("image");
        var src = image ? String(this.props.getAsset(image)) : null;
        return h("main", { id: "contenu", className: "wrap" },
          h("article", { className: "article single" },
            h("h1", {}, text("title")),
            text("date") ? h("p", { className: "meta article-date" }, text("date")) : null,
            text("summary") ? h("p", { className: "lead" }, text("summary")) : null,
            src ? h("figure", {}, h("img", { src: src, alt: text("image_alt") || "" })) : null,
            h("div", { className: "prose" }, this.props.widgetFor("body")),
            text("author") ? h("p", { className: "signature" }, text("author")) : null,
            text("link") ? h("p", { className: "more" }, "Pour plus d’informations : ", text("link")) : null));
      },
    });
    (body.getAttribute("data-article-previews") || "").split(" ").forEach(function (name) {
      if (name) CMS.registerPreviewTemplate(name, Preview);
    });
  }

  function start() {
    var CMS = window.CMS;
    if (!CMS) return;
    var style = body.getAttribute("data-style-url");
    if (style) CMS.registerPreviewStyle(style);
    registerArticlePreview(CMS);
    CMS.registerEventListener({
      name: "preSave",
      handler: function (args) {
        var data = args.entry.get("data");
        var image = data.get("image");
        var alt = data.get("image_alt");
        if (!isEmpty(image) && (isEmpty(alt) || String(alt).trim() === "")) {
          throw new Error(body.getAttribute("data-image-alt-message"));
        }
        var collection = args.entry.get("collection") || "";
        if (collection === "agenda" && isEmpty(data.get("start")) && isEmpty(data.get("programme"))) {
          throw new Error(body.getAttribute("data-start-message"));
        }
        return prune(data);
      },
    });
    var notice = document.getElementById("cufpress-admin-notice");
    var configured = body.getAttribute("data-configured") === "true";
    if (configured || local) {
      if (notice) notice.hidden = true;
      CMS.init();
    }
  }

  if (document.readyState === "complete") start();
  else window.addEventListener("load", start);
})();
