// The article editor's toolbar. The text stays HTML in its textarea (so the form works the same
// without JavaScript); the buttons put tags around the selection and upload pictures. Whatever
// ends up in the text is cleaned by the server (nh3) when the article is saved.
(function () {
  "use strict";

  var EN = document.documentElement.lang === "en";
  var T = EN ? {
    toolbar: "Formatting", bold: "Bold", heading: "Heading", list: "List",
    link: "Link", image: "Picture", text: "text", url: "Web address (https://…)",
    insert: "Insert", cancel: "Cancel", upload: "Upload and insert", file: "Picture file",
    alt: "Description of the picture (alt text)", needAlt: "Describe the picture first.",
    needFile: "Choose a picture first.", badUrl: "Give an address starting with https://, http://, mailto: or /.",
    uploading: "Uploading…", failed: "The upload failed.", done: "Picture inserted."
  } : {
    toolbar: "格式", bold: "加粗", heading: "小标题", list: "列表",
    link: "链接", image: "图片", text: "文字", url: "网址（https://…）",
    insert: "插入", cancel: "取消", upload: "上传并插入", file: "图片文件",
    alt: "图片说明（替代文字）", needAlt: "请先填写图片说明。",
    needFile: "请先选择图片。", badUrl: "网址须以 https://、http://、mailto: 或 / 开头。",
    uploading: "正在上传……", failed: "上传失败。", done: "已插入图片。"
  };

  function escapeAttr(value) {
    return value.replace(/&/g, "&amp;").replace(/"/g, "&quot;")
      .replace(/</g, "&lt;").replace(/>/g, "&gt;");
  }

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (text) node.textContent = text;
    return node;
  }

  function Editor(area) {
    this.area = area;
    this.range = [0, 0];
    var self = this;
    var bar = el("div", { "class": "editor-toolbar", role: "toolbar", "aria-label": T.toolbar,
                          "aria-controls": area.id });
    // Words, not icons: office computers often lack emoji fonts, and words need no legend.
    [["bold", T.bold, function () { self.wrap("strong"); }],
     ["heading", T.heading, function () { self.heading(); }],
     ["list", T.list, function () { self.list(); }],
     ["link", T.link, function () { self.open(self.linkPanel); }],
     ["image", T.image, function () { self.open(self.imagePanel); }]
    ].forEach(function (spec) {
      var b = el("button", { type: "button", "class": "btn tool tool-" + spec[0] }, spec[1]);
      b.addEventListener("mousedown", function () { self.remember(); });
      b.addEventListener("click", spec[2]);
      bar.appendChild(b);
    });
    this.status = el("p", { "class": "editor-status", role: "status", "aria-live": "polite" });
    this.linkPanel = this.makeLinkPanel();
    this.imagePanel = this.makeImagePanel();
    area.parentNode.insertBefore(bar, area);
    area.parentNode.insertBefore(this.linkPanel, area);
    area.parentNode.insertBefore(this.imagePanel, area);
    area.parentNode.insertBefore(this.status, area);
    area.addEventListener("keydown", function (e) {
      if ((e.ctrlKey || e.metaKey) && (e.key === "b" || e.key === "B")) {
        e.preventDefault();
        self.remember();
        self.wrap("strong");
      }
    });
  }

  Editor.prototype.remember = function () {
    this.range = [this.area.selectionStart, this.area.selectionEnd];
  };

  Editor.prototype.selected = function () {
    return this.area.value.slice(this.range[0], this.range[1]);
  };

  Editor.prototype.put = function (html) {
    var area = this.area;
    area.focus();
    area.setRangeText(html, this.range[0], this.range[1], "end");
    this.range = [area.selectionStart, area.selectionEnd];
    area.dispatchEvent(new Event("input", { bubbles: true }));
  };

  Editor.prototype.wrap = function (tag) {
    this.put("<" + tag + ">" + (this.selected() || T.text) + "</" + tag + ">");
  };

  Editor.prototype.heading = function () {
    var text = this.selected().replace(/<\/?h[2-4]>/g, "").trim();
    this.put("\n<h2>" + (text || T.heading) + "</h2>\n");
  };

  Editor.prototype.list = function () {
    var lines = this.selected().split(/\n+/).map(function (s) { return s.trim(); })
      .filter(function (s) { return s; });
    if (!lines.length) lines = [T.text];
    this.put("\n<ul>\n" + lines.map(function (s) { return "  <li>" + s + "</li>"; }).join("\n") +
             "\n</ul>\n");
  };

  Editor.prototype.open = function (panel) {
    [this.linkPanel, this.imagePanel].forEach(function (p) { p.hidden = p !== panel; });
    this.status.textContent = "";
    var first = panel.querySelector("input");
    if (first) first.focus();
  };

  Editor.prototype.close = function () {
    this.linkPanel.hidden = this.imagePanel.hidden = true;
    this.area.focus();
  };

  Editor.prototype.panel = function (name) {
    var panel = el("div", { "class": "editor-panel", role: "group", "aria-label": name });
    panel.hidden = true;
    var self = this;
    panel.addEventListener("keydown", function (e) {
      if (e.key === "Escape") { e.preventDefault(); self.close(); }
    });
    return panel;
  };

  Editor.prototype.field = function (panel, id, label, input) {
    var wrap = el("div", { "class": "field" });
    wrap.appendChild(el("label", { "for": id }, label));
    input.id = id;
    wrap.appendChild(input);
    panel.appendChild(wrap);
    return input;
  };

  Editor.prototype.buttons = function (panel, okLabel, onOk) {
    var self = this;
    var ok = el("button", { type: "button", "class": "btn primary" }, okLabel);
    var cancel = el("button", { type: "button", "class": "btn" }, T.cancel);
    ok.addEventListener("click", onOk);
    cancel.addEventListener("click", function () { self.close(); });
    panel.appendChild(ok);
    panel.appendChild(document.createTextNode(" "));
    panel.appendChild(cancel);
    return ok;
  };

  Editor.prototype.makeLinkPanel = function () {
    var self = this;
    var panel = this.panel(T.link);
    var url = this.field(panel, this.area.id + "-link-url", T.url,
                         el("input", { type: "url", inputmode: "url", autocomplete: "off" }));
    this.buttons(panel, T.insert, function () {
      var href = url.value.trim();
      if (!/^(https?:\/\/|mailto:|\/(?!\/))/i.test(href)) {
        self.status.textContent = T.badUrl;
        url.focus();
        return;
      }
      self.put("<a href=\"" + escapeAttr(href) + "\">" + (self.selected() || href) + "</a>");
      url.value = "";
      self.close();
    });
    return panel;
  };

  Editor.prototype.makeImagePanel = function () {
    var self = this;
    var panel = this.panel(T.image);
    var upload = document.getElementById("image-upload");
    var file = this.field(panel, this.area.id + "-img-file", T.file,
                          el("input", { type: "file", accept: "image/*" }));
    var alt = this.field(panel, this.area.id + "-img-alt", T.alt,
                         el("input", { type: "text", maxlength: "200" }));
    var ok = this.buttons(panel, T.upload, function () {
      if (!file.files || !file.files.length) { self.status.textContent = T.needFile; file.focus(); return; }
      if (!alt.value.trim()) { self.status.textContent = T.needAlt; alt.focus(); return; }
      if (!upload) { self.status.textContent = T.failed; return; }
      var data = new FormData();
      data.append("img-file", file.files[0]);
      data.append("img-alt", alt.value.trim());
      data.append("csrfmiddlewaretoken",
                  upload.querySelector("input[name=csrfmiddlewaretoken]").value);
      ok.disabled = true;
      self.status.textContent = T.uploading;
      fetch(upload.getAttribute("action"), {
        method: "POST", body: data, credentials: "same-origin",
        headers: { "Accept": "application/json" }
      }).then(function (response) {
        return response.json().then(function (json) { return { ok: response.ok, json: json }; });
      }).then(function (result) {
        ok.disabled = false;
        if (!result.ok) { self.status.textContent = result.json.error || T.failed; return; }
        self.put("\n<figure><img src=\"" + escapeAttr(result.json.url) + "\" alt=\"" +
                 escapeAttr(result.json.alt) + "\" width=\"" + result.json.width +
                 "\" height=\"" + result.json.height + "\"></figure>\n");
        file.value = "";
        alt.value = "";
        self.close();
        self.status.textContent = T.done;
      }).catch(function () {
        ok.disabled = false;
        self.status.textContent = T.failed;
      });
    });
    if (!upload) panel.querySelector("button").disabled = true;
    return panel;
  };

  document.addEventListener("DOMContentLoaded", function () {
    var areas = document.querySelectorAll("textarea[data-editor=html]");
    for (var i = 0; i < areas.length; i++) new Editor(areas[i]);
  });
})();
