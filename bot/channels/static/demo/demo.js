// The demo help page: language picker, help-article search (/help/search) and the buttons that
// open the chat widget (window.ShopChat, defined by /widget/widget.js).
(function () {
  "use strict";

  var picker = document.getElementById("page-language");
  if (picker) {
    picker.addEventListener("change", function () { picker.form.submit(); });
  }

  function chat() { return window.ShopChat; }

  var openButton = document.getElementById("open-chat");
  if (openButton) {
    openButton.addEventListener("click", function () { if (chat()) chat().open(); });
  }
  document.querySelectorAll("button.example").forEach(function (button) {
    button.addEventListener("click", function () {
      if (chat()) { chat().open(); chat().send(button.getAttribute("data-message")); }
    });
  });

  var form = document.getElementById("help-search");
  var results = document.getElementById("help-results");
  if (!form || !results) return;

  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text) node.textContent = text;
    return node;
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var query = form.querySelector("input").value.trim();
    if (!query) return;
    var url = "/help/search?lang=" + encodeURIComponent(form.dataset.lang) + "&q=" + encodeURIComponent(query);
    fetch(url).then(function (answer) { return answer.json(); }).then(function (body) {
      results.replaceChildren();
      var hits = (body && body.results) || [];
      if (!hits.length) {
        results.appendChild(element("p", "help-results__empty", form.dataset.noResults));
        return;
      }
      results.appendChild(element("h2", "help-results__count", form.dataset.results.replace("{count}", hits.length)));
      hits.forEach(function (hit) {
        var item = element("details", "help-result");
        item.appendChild(element("summary", null, hit.title));
        item.appendChild(element("p", null, hit.answer));
        if (hit.steps && hit.steps.length) {
          var steps = element("ol");
          hit.steps.forEach(function (step) { steps.appendChild(element("li", null, step)); });
          item.appendChild(steps);
        }
        results.appendChild(item);
      });
    }).catch(function () {
      results.replaceChildren(element("p", "help-results__empty", form.dataset.noResults));
    });
  });
})();
