// Keeps the page editor's search-result preview and length counters in step with the title,
// slug, title tag and meta description fields. The panel is rendered complete on the server;
// without this script it shows the page as last saved.
(function () {
  "use strict";

  const TITLE_PLACEHOLDER = "{title}";

  // Django strips form input, and the title template collapses runs of spaces.
  const clean = (value) => value.trim().replace(/\s+/g, " ");
  // Code points, as the server counts them (an emoji is one character, not two).
  const length = (text) => [...text].length;

  function fill(template, title) {
    return template.split(TITLE_PLACEHOLDER).join(title);
  }

  function setText(element, text) {
    // Only on change, so the live regions are not re-announced for nothing.
    if (element && element.textContent !== text) {
      element.textContent = text;
    }
  }

  function updateCounter(counter, text) {
    const budget = Number(counter.dataset.budget);
    const count = length(text);
    const over = count - budget;
    counter.classList.toggle("seo-preview__counter--over", over > 0);
    setText(counter.querySelector("[data-seo-counter-length]"), `${count} / ${budget} characters`);
    setText(
      counter.querySelector("[data-seo-counter-warning]"),
      over > 0 ? ` — ${over} over budget: search engines may cut it short.` : "",
    );
  }

  function connect(preview) {
    const form = preview.closest("form") || document;
    const field = (name) => form.querySelector(`#id_${name}`);
    const fields = {
      title: field("title"),
      slug: field("slug"),
      seoTitle: field("seo_title"),
      searchDescription: field("search_description"),
    };
    if (!fields.title || !fields.seoTitle || !fields.searchDescription) {
      return;
    }

    const data = preview.dataset;
    const brand = data.brand;
    const titleBudget = Number(data.titleBudget);
    const url = preview.querySelector("[data-seo-preview-url]");
    const title = preview.querySelector("[data-seo-preview-title]");
    const description = preview.querySelector("[data-seo-preview-description]");
    const counters = {};
    preview.querySelectorAll("[data-seo-counter]").forEach((counter) => {
      counters[counter.dataset.seoCounter] = counter;
    });

    // Mirrors SeoMixin.get_title_tag (seo/titles.py: render_title, title_with_name) and
    // get_meta_description: the brand closes a title only while the title fits the budget.
    function update() {
      const pageTitle = clean(fields.title.value) || TITLE_PLACEHOLDER;
      const seoTitle = fields.seoTitle.value.trim();
      let titleTag = fill(data.fallbackTitle, pageTitle);
      if (titleTag.length > titleBudget && data.fallbackTitleShort) {
        titleTag = fill(data.fallbackTitleShort, pageTitle);
      }
      if (seoTitle) {
        const branded = `${seoTitle} | ${brand}`;
        titleTag = !brand || seoTitle.includes(brand) || branded.length > titleBudget ? seoTitle : branded;
      }
      const metaDescription =
        fields.searchDescription.value.trim() || fill(data.fallbackDescription, pageTitle);

      setText(title, titleTag);
      setText(description, metaDescription || description.dataset.emptyText);
      description.classList.toggle("seo-preview__description--empty", !metaDescription);
      if (data.urlBase && fields.slug) {
        const slug = fields.slug.value.trim();
        setText(url, slug ? `${data.urlBase}${slug}/` : data.urlBase);
      }
      if (counters.title) {
        updateCounter(counters.title, titleTag);
      }
      if (counters.description) {
        updateCounter(counters.description, metaDescription);
      }
    }

    // Listened for on the form, so that Wagtail's own handlers on a field (which tidy the slug
    // when it loses focus) have run before the preview reads it.
    const watched = new Set(Object.values(fields).filter(Boolean));
    ["input", "change", "focusout"].forEach((type) => {
      form.addEventListener(type, (event) => {
        if (watched.has(event.target)) {
          update();
        }
      });
    });
    if (fields.slug) {
      // Wagtail fills the slug in from the title with an event that does not bubble, setting
      // the value while it is dispatched: read it once the dispatch is over.
      fields.slug.addEventListener("w-sync:apply", () => queueMicrotask(update));
    }
    update();
  }

  function init() {
    document.querySelectorAll("[data-seo-preview]").forEach(connect);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
