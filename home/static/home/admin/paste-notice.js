// Rich text on this site keeps paragraphs, headings, lists and links, not tables: a table pasted
// from Word or a web page comes out as loose lines of text. Say so at once, where the editor pasted,
// so that nobody publishes a table's cells as a jumble of paragraphs without noticing.
(() => {
  const NOTICE_CLASS = "paste-notice";

  function showNotice(editor) {
    const field = editor.closest("[data-field]") || editor.parentElement;
    let notice = field.querySelector(`.${NOTICE_CLASS}`);
    if (!notice) {
      notice = document.createElement("p");
      notice.className = `help-block help-warning ${NOTICE_CLASS}`;
      notice.setAttribute("role", "status");
      field.appendChild(notice);
    }
    notice.textContent =
      "The table you pasted was flattened: rich text here cannot hold tables, so each cell became a line of text. " +
      "Check the text, and write it as a list or as separate sections instead.";
  }

  document.addEventListener(
    "paste",
    (event) => {
      const editor = event.target.closest && event.target.closest(".Draftail-Editor");
      const html = event.clipboardData && event.clipboardData.getData("text/html");
      if (editor && html && /<table[\s>]/i.test(html)) {
        showNotice(editor);
      }
    },
    true,
  );
})();
