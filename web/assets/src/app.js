// Progressive enhancement of every page. Each page works without it:
// forms are plain GET and POST, links carry their whole state.
// No HTML is ever written from a string (the pages' CSP requires Trusted
// Types for that): only elements, attributes and text.

// Search form: leave empty fields out of the URL, so that a shared or
// bookmarked search reads cleanly, and apply sort and currency as soon as
// they are chosen.
for (const form of document.querySelectorAll("form[data-search]")) {
  form.addEventListener("submit", () => {
    for (const el of form.elements) {
      if (el.name && (el.value === "" || el.value == null) && !el.disabled) {
        el.disabled = true;
        // restore after navigation starts, so that the back button finds the form as it was
        setTimeout(() => { el.disabled = false; }, 0);
      }
    }
  });
  for (const el of form.querySelectorAll("select[data-autosubmit]")) {
    el.addEventListener("change", () => form.requestSubmit());
  }
  const near = form.querySelector("input[name=near]");
  if (near && "geolocation" in navigator) {
    const b = document.createElement("button");
    b.type = "button";
    b.className = "secondary";
    b.textContent = "Use my location";
    b.addEventListener("click", () => {
      b.disabled = true;
      navigator.geolocation.getCurrentPosition(
        (pos) => {
          near.value = pos.coords.latitude.toFixed(2) + "," + pos.coords.longitude.toFixed(2);
          const r = form.querySelector("input[name=radius_km]");
          if (r && !r.value) r.value = "50";
          b.disabled = false;
        },
        () => { b.disabled = false; b.textContent = "Location unavailable"; },
        { maximumAge: 600000, timeout: 10000 },
      );
    });
    near.parentElement.after(b);
  }
}

// Report form: send the report to the JSON API without leaving the page.
// Without JavaScript the same form posts to the page's own handler.
for (const form of document.querySelectorAll("form[data-report-api]")) {
  const out = form.querySelector("[role=status]");
  const button = form.querySelector("button[type=submit]");
  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const reason = form.elements.reason.value.trim();
    if (!reason) {
      say("Say what is wrong with this listing first.", false);
      form.elements.reason.focus();
      return;
    }
    button.disabled = true;
    say("Sending…", true);
    try {
      const resp = await fetch(form.dataset.reportApi, {
        method: "POST",
        headers: { "Content-Type": "application/json", Accept: "application/json" },
        body: JSON.stringify({ listing_id: form.elements.listing_id.value, reason }),
        credentials: "same-origin",
      });
      const body = await resp.json().catch(() => ({}));
      if (resp.status === 201) {
        say("Thank you. Report " + body.id + " was sent to the operator of this relay.", true);
        form.elements.reason.value = "";
      } else {
        say("The report was not sent: " + (body.error || "the server answered " + resp.status), false);
      }
    } catch (e) {
      say("The report was not sent: the server could not be reached.", false);
    } finally {
      button.disabled = false;
    }
  });
  function say(text, ok) {
    out.textContent = text;
    out.className = ok ? "notice ok" : "notice";
    out.hidden = false;
  }
}
