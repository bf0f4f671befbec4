// Keeps the page editor's checks in step with what the editor types, before anything is saved:
// a condition page's content checks, a local page's doorway meter, and what only the server can
// tell in the search-result preview (a description from the summary or a template, shortened to
// fit; what search engines would object to). Panels that take part carry data-live-checks and
// the endpoint's address. The whole form is posted there, debounced; the server builds the
// unsaved page from it as Wagtail's preview does and answers with JSON (conditions/views.py).
// Without this script the panels show the page as last saved.
(function () {
  "use strict";

  // Long enough not to post on every key, short enough to feel live.
  const DELAY_MS = 500;
  const FAILED = "The checks could not be updated just now: they show the last result.";

  function setText(element, text) {
    // Only on change, so that live regions are not re-announced for nothing.
    if (element && element.textContent !== text) {
      element.textContent = text;
    }
  }

  function setList(list, items) {
    const current = [...list.children].map((item) => item.textContent);
    if (current.length === items.length && current.every((text, index) => text === items[index])) {
      return;
    }
    list.replaceChildren(
      ...items.map((text) => {
        const item = document.createElement("li");
        item.textContent = text;
        return item;
      }),
    );
  }

  function showMessage(panel, message) {
    const element = panel.querySelector("[data-live-checks-message]");
    if (element) {
      setText(element, message);
      element.hidden = !message;
    }
  }

  function updateSearchPreview(panel, preview) {
    // seo-preview.js, which updates the preview on each key, reads the fallbacks from here.
    panel.dataset.fallbackTitle = preview.fallback_title;
    panel.dataset.fallbackDescription = preview.fallback_description;
    setText(panel.querySelector("[data-seo-preview-title]"), preview.title_tag);
    const description = panel.querySelector("[data-seo-preview-description]");
    setText(description, preview.description || description.dataset.emptyText);
    description.classList.toggle("seo-preview__description--empty", !preview.description);
    if (preview.url) {
      setText(panel.querySelector("[data-seo-preview-url]"), preview.url);
    }
    preview.counters.forEach((counter) => {
      const element = panel.querySelector(`[data-seo-counter="${counter.name}"]`);
      if (!element) {
        return;
      }
      element.classList.toggle("seo-preview__counter--over", counter.over_by > 0);
      setText(element.querySelector("[data-seo-counter-length]"), counter.text);
      setText(element.querySelector("[data-seo-counter-warning]"), counter.warning);
      setText(element.querySelector("[data-seo-counter-note]"), counter.note);
    });
    const problems = panel.querySelector("[data-seo-problems]");
    if (problems) {
      setList(problems.querySelector("[data-seo-problems-list]"), preview.seo_problems);
      problems.hidden = preview.seo_problems.length === 0;
    }
  }

  function updateMeter(panel, name, value, text) {
    const meter = panel.querySelector(`[data-doorway-${name}-meter]`);
    if (meter) {
      meter.value = value;
    }
    setText(panel.querySelector(`[data-doorway-${name}]`), text);
  }

  function updateContentChecks(panel, checks) {
    if (!checks) {
      return;
    }
    const count = checks.problems.length;
    const box = panel.querySelector("[data-content-checks]");
    box.classList.toggle("help-warning", count > 0);
    box.classList.toggle("help-info", count === 0);
    setText(panel.querySelector("[data-content-checks-intro]"), checks.intro);
    const list = panel.querySelector("[data-content-checks-problems]");
    setList(list, checks.problems);
    list.hidden = count === 0;
    const allClear = panel.querySelector("[data-content-checks-all-clear]");
    setText(allClear, checks.all_clear);
    allClear.hidden = count > 0;

    let status = count ? `Content checks: ${count} to look at.` : "Content checks: nothing missing.";
    if (checks.doorway) {
      updateMeter(panel, "words", checks.doorway.unique_words, checks.doorway.words_text);
      updateMeter(panel, "similarity", checks.doorway.similarity, checks.doorway.similarity_text);
      status += checks.doorway.passes ? " The local-page check passes." : " The local-page check fails.";
    }
    // Read out by screen readers when the outcome changes, not with every word typed.
    setText(panel.querySelector("[data-live-checks-status]"), status);
  }

  const UPDATERS = {
    "search-preview": (panel, result) => updateSearchPreview(panel, result.search_preview),
    "content-checks": (panel, result) => updateContentChecks(panel, result.content_checks),
  };

  function connect(form, panels) {
    const url = panels[0].dataset.liveChecksUrl;
    const serialize = () => new URLSearchParams(new FormData(form)).toString();
    let lastSent = serialize();
    let timer = null;
    let controller = null;

    function report(message) {
      panels.forEach((panel) => showMessage(panel, message));
    }

    async function send() {
      timer = null;
      const body = serialize();
      if (body === lastSent) {
        return;
      }
      lastSent = body;
      if (controller) {
        controller.abort();
      }
      controller = new AbortController();
      let result;
      try {
        const response = await fetch(url, {
          method: "POST",
          body,
          headers: {
            "Content-Type": "application/x-www-form-urlencoded",
            // Wagtail answers a script's request it refuses with 403 rather than a sign-in page.
            "X-Requested-With": "XMLHttpRequest",
          },
          credentials: "same-origin",
          signal: controller.signal,
        });
        if (!response.ok) {
          throw new Error(`Live checks answered ${response.status}`);
        }
        result = await response.json();
      } catch (error) {
        if (error.name !== "AbortError") {
          lastSent = null; // try again at the next change
          report(FAILED);
        }
        return;
      }
      if (timer !== null) {
        // The editor has changed something since: the answer to that will follow, and must be
        // asked for even if the form has gone back to what was just sent.
        lastSent = null;
        return;
      }
      if (!result.valid) {
        report(result.message);
        return;
      }
      report("");
      panels.forEach((panel) => UPDATERS[panel.dataset.liveChecks]?.(panel, result));
    }

    function schedule() {
      clearTimeout(timer);
      timer = setTimeout(send, DELAY_MS);
    }

    form.addEventListener("input", schedule);
    form.addEventListener("change", schedule);
    // Wagtail's own notice that the form has changed: it also comes when StreamField blocks are
    // added, moved or removed, which fire no input event.
    form.addEventListener("w-unsaved:add", schedule);
  }

  function init() {
    const panels = [...document.querySelectorAll("[data-live-checks][data-live-checks-url]")].filter(
      (panel) => panel.dataset.liveChecksUrl && panel.closest("form"),
    );
    const forms = new Set(panels.map((panel) => panel.closest("form")));
    forms.forEach((form) =>
      connect(
        form,
        panels.filter((panel) => panel.closest("form") === form),
      ),
    );
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
