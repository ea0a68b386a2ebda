// The Journeys view: every journey with its art, window and stamps, what each stamp takes (backend/issuer/earn.py),
// and the member's progress; quizzes played inline, codes typed or scanned from a kiosk's QR code, a member code for
// partners' tills, completion stamps that arrive by themselves. Activities go to the issuer service after the member
// signs in with Ethereum (EIP-4361, viem/siwe); the stamp earned is sent by the relay (or, if the member prefers, by
// their wallet, paying the fee). Deep links: #journey=<id>, #stamp=<id>, #stamp=<id>&code=<code> (a kiosk's QR code).
import { createSiweMessage } from "viem/siwe";

import { api, ApiError } from "./api.js";
import { h } from "./dom.js";
import { day, list, t, withLang } from "./i18n.js";

// Every word this view shows (journeys.* in the catalogs, locales/).
const TEXT = {
  connectToPlay: t("journeys.connectToPlay"),
  progress: (held, total) => t("journeys.progress", { held, total }),
  complete: (text) => t("journeys.complete", { text }),
  always: t("journeys.always"),
  window: (start, end) => t(start && end ? "journeys.between" : start ? "journeys.from" : "journeys.until",
    { start: start && day(start), end: end && day(end) }),
  closed: (end) => t("journeys.closed", { end: day(end) }),
  opens: (start) => t("journeys.opens", { start: day(start) }),
  points: (n) => t("points", { n }),
  kind: (kind) => t("journeys.kind", { kind }),
  collected: t("journeys.collected"),
  onItsWay: t("journeys.onItsWay"),
  play: (kind) => t("journeys.play", { kind }),
  close: t("journeys.close"),
  signIn: t("journeys.signIn"),
  signInSays: (statement) => t("journeys.signInSays", { statement }),
  checkAnswers: t("journeys.checkAnswers"),
  answerAll: t("journeys.answerAll"),
  failed: (score, total, mark, tries) => t("journeys.failed", { score, total, mark, tries }),
  passed: (score, total) => t("journeys.passed", { score, total }),
  codeLabel: (rotating) => t(rotating ? "journeys.codeLabelKiosk" : "journeys.codeLabel"),
  enter: t("journeys.enter"),
  scan: t("journeys.scan"),
  stopScan: t("journeys.stopScan"),
  noCamera: t("journeys.noCamera"),
  codeOk: t("journeys.codeOk"),
  memberCode: (code) => t("journeys.memberCode", { code }),
  requires: (names) => t("journeys.requires", { names }),
  given: (kind) => t("journeys.given", { kind }),
  arrived: (name, pts, before, after) => t(after > before ? "journeys.arrivedLevelUp" : "journeys.arrived", { name, n: pts, level: after }),
  waiting: (reason) => t("journeys.waiting", { reason }),
  budget: t("journeys.budget"),
  refused: (reason) => t("journeys.refused", { reason }),
  slow: t("journeys.slow"),
  deepLinkUnknown: (id) => t("journeys.deepLinkUnknown", { id }),
  stampName: (id) => t("stamps.fallbackName", { id }),
  stampAlt: (name) => t("stamps.alt", { name }),
  confirm: t("progress.confirm"),
};
// The activities a member plays here (TEXT.play has words for each).
const PLAYABLE = new Set(["quiz", "code", "receipt", "completion"]);
// How a stamp is given when the member doesn't play for it (TEXT.given).
const GIVEN = new Set(["link", "allowlist", "airdrop", "sale", "drop"]);

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const COLLECT_TIMEOUT_MS = 120000;

// `page`: what main.js shares: state (config, wallet, account, member, payGas), toast, friendly, act, deliver, and
// reloadMember() (points, level, gallery).
export function setUpJourneys(page) {
  const { state } = page;
  const view = { journeys: [], open: null, issuer: null, scanning: null };
  const $ = (id) => document.getElementById(id);

  // ---------------------------------------------------------------- signing in (EIP-4361)

  const sessionKey = () => `odyssey.session.${state.account.toLowerCase()}`;

  function session() {
    const stored = JSON.parse(sessionStorage.getItem(sessionKey()) || "null");
    return stored && stored.expiresAt * 1000 > Date.now() + 5000 ? stored : null;
  }

  async function signIn(progress) {
    const existing = session();
    if (existing) return existing;
    progress?.(TEXT.signIn);
    view.issuer = view.issuer || (await api.get("/issuer"));
    const { siwe } = view.issuer;
    // The statement the wallet shows is English (EIP-4361 allows only ASCII): say what it means in the member's words.
    if (siwe.statementTranslation) progress?.(TEXT.signInSays(siwe.statementTranslation));
    const { nonce } = await api.post("/issuer/siwe/nonce", {});
    const message = createSiweMessage({
      domain: siwe.domain, address: state.account, statement: siwe.statement, uri: siwe.uri, version: "1",
      chainId: siwe.chainId, nonce, issuedAt: new Date(),
    });
    const signature = await state.wallet.client.signMessage({ account: state.account, message });
    const signed = await api.post("/issuer/siwe/session", { message, signature });
    sessionStorage.setItem(sessionKey(), JSON.stringify(signed));
    return signed;
  }

  // An issuer call as the signed-in member; signs in again once if the session ended meanwhile.
  async function asMember(call, progress) {
    try {
      return await call({ Authorization: `Bearer ${(await signIn(progress)).token}` });
    } catch (error) {
      if (!(error instanceof ApiError) || error.status !== 401) throw error;
      sessionStorage.removeItem(sessionKey());
      return call({ Authorization: `Bearer ${(await signIn(progress)).token}` });
    }
  }

  // ---------------------------------------------------------------- reading

  const held = () => new Set((state.member?.holdings || []).map((s) => s.stamp_id));

  function findStamp(id) {
    for (const journey of view.journeys) {
      const stamp = journey.stamp_types.find((s) => s.id === String(id));
      if (stamp) return { journey, stamp };
    }
    return null;
  }

  async function load() {
    const list = await api.get("/journeys");
    view.journeys = (list?.data || []).filter((j) => j.stamp_types.length);
    render();
  }

  // ---------------------------------------------------------------- rendering

  function kindOf(earn) {
    if (!earn) return null;
    return TEXT.kind(earn.kind === "code" && earn.rotating ? "rotating" : earn.kind);
  }

  function windowText(journey) {
    const now = Date.now() / 1000;
    if (journey.end && now > journey.end) return TEXT.closed(journey.end);
    if (journey.start && now < journey.start) return TEXT.opens(journey.start);
    return journey.start || journey.end ? TEXT.window(journey.start, journey.end) : TEXT.always;
  }

  function render() {
    // The open activity keeps its panel (answers ticked, what it said) while the rest is drawn again.
    const kept = view.open ? $(`play-${view.open.journey}`) : null;
    const section = $("journeys");
    section.hidden = !view.journeys.length;
    $("journeys-connect").hidden = Boolean(state.account);
    $("journeys-connect").textContent = TEXT.connectToPlay;
    const mine = held();
    $("journeys-body").replaceChildren(...view.journeys.map((journey) => {
      const count = journey.stamp_types.filter((s) => mine.has(s.id)).length;
      const total = journey.stamp_types.length;
      const done = state.account && count === total;
      return h("article", { class: "journey", id: `journey-${journey.id}`, "data-journey": journey.id },
        h("img", { class: "journey-art", src: journey.image_url, alt: "", width: "1200", height: "360", loading: "lazy" }),
        h("div", { class: "journey-head" },
          h("h3", { "data-content": "" }, journey.name),
          journey.description ? h("p", { class: "journey-description", "data-content": "" }, journey.description) : null,
          h("p", { class: "muted" }, windowText(journey)),
          state.account ? h("p", { class: `journey-progress${done ? " done" : ""}`, "data-progress": `${count}/${total}` },
            done ? TEXT.complete(TEXT.progress(count, total)) : TEXT.progress(count, total)) : null,
        ),
        h("ul", { class: "gallery stamp-grid" }, journey.stamp_types.map((s) => stampTile(journey, s, mine))),
        h("div", { class: "play", id: `play-${journey.id}`, hidden: view.open?.journey !== journey.id }),
      );
    }));
    if (!view.open) return;
    const fresh = $(`play-${view.open.journey}`);
    if (kept && fresh && kept.dataset.stamp === String(view.open.stampId)) fresh.replaceWith(kept);
    else renderPlay(view.open.stampId, view.open.code);
  }

  function stampTile(journey, stamp, mine) {
    const have = mine.has(stamp.id);
    const pending = view.pending?.has(stamp.id);
    const kind = stamp.earn?.kind;
    const playable = state.account && !have && PLAYABLE.has(kind);
    return h("li", { class: `stamp-tile${have ? " held" : ""}`, "data-stamp": stamp.id, id: `stamp-${stamp.id}` },
      h("img", { src: withLang(`/images/${stamp.id}.svg`), alt: TEXT.stampAlt(stamp.name), loading: "lazy", width: "160", height: "160" }),
      h("span", { class: "name", "data-content": "" }, stamp.name),
      h("span", { class: "stamp-points" }, TEXT.points(stamp.points)),
      kindOf(stamp.earn) ? h("span", { class: "badge kind" }, kindOf(stamp.earn)) : null,
      have ? h("span", { class: "status collected" }, TEXT.collected)
        : pending ? h("span", { class: "status pending" }, TEXT.onItsWay)
          : playable ? h("button", { type: "button", class: "primary", "data-play": stamp.id,
            onclick: () => open(journey.id, stamp.id) }, TEXT.play(kind)) : null,
    );
  }

  function open(journeyId, stampId, code = null) {
    if (view.open) delete $(`play-${view.open.journey}`)?.dataset.stamp; // a panel drawn anew
    view.open = { journey: journeyId, stampId, code };
    render();
    $(`play-${journeyId}`)?.scrollIntoView({ block: "nearest" });
  }

  function close() {
    stopScan();
    view.open = null;
    render();
  }

  function renderPlay(stampId, code) {
    const found = findStamp(stampId);
    if (!found) return;
    const { journey, stamp } = found;
    const box = $(`play-${journey.id}`);
    const earn = stamp.earn || { kind: "link", description: "" };
    const parts = [
      h("div", { class: "play-head" }, h("h4", { "data-content": "" }, stamp.name), h("button", { type: "button", onclick: close }, TEXT.close)),
      earn.description ? h("p", { "data-content": "" }, earn.description) : null,
    ];
    if (held().has(stamp.id)) parts.push(h("p", { class: "status collected" }, TEXT.collected));
    else if (earn.kind === "quiz") parts.push(quizForm(stamp, earn));
    else if (earn.kind === "code") parts.push(codeForm(stamp, earn, code));
    else if (earn.kind === "receipt") parts.push(memberCodeBox());
    else if (earn.kind === "completion") {
      const names = list(earn.requires.map((id) => findStamp(id)?.stamp.name || TEXT.stampName(id)));
      parts.push(h("p", {}, TEXT.requires(names)));
    } else if (GIVEN.has(earn.kind)) parts.push(h("p", { class: "muted" }, TEXT.given(earn.kind)));
    parts.push(h("p", { class: "play-result", role: "status", "aria-live": "polite" }));
    box.replaceChildren(...parts);
    box.dataset.stamp = stamp.id;
    box.hidden = false;
  }

  const result = (stampId) => document.querySelector(`#play-${findStamp(stampId).journey.id} .play-result`);

  function say(stampId, text, kind = "info") {
    const el = result(stampId);
    if (!el) return;
    el.textContent = text;
    el.dataset.kind = kind;
  }

  // ---------------------------------------------------------------- quiz

  function quizForm(stamp, quiz) {
    const form = h("form", { class: "quiz", "data-quiz": stamp.id },
      quiz.questions.map((q, index) => h("fieldset", { "data-question": q.id },
        h("legend", { "data-content": "" }, `${index + 1}. ${q.text}`),
        q.choices.map((c) => h("label", { class: "choice", "data-content": "" },
          h("input", { type: "radio", name: q.id, value: c.id, "data-choice": `${q.id}:${c.id}` }), ` ${c.text}`)),
      )),
      h("button", { type: "submit", class: "primary" }, TEXT.checkAnswers),
    );
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      const answers = Object.fromEntries(quiz.questions.map((q) => [q.id, form.querySelector(`input[name="${q.id}"]:checked`)?.value]));
      if (Object.values(answers).some((a) => !a)) {
        say(stamp.id, TEXT.answerAll, "error");
        return;
      }
      play(form.querySelector("button"), stamp, "quiz", { answers });
    });
    return form;
  }

  // ---------------------------------------------------------------- codes, typed or scanned

  function codeForm(stamp, earn, prefilled) {
    const id = `code-${stamp.id}`;
    const input = h("input", {
      id, name: "code", autocomplete: "one-time-code", required: true, maxlength: "64",
      inputmode: earn.rotating ? "numeric" : null, pattern: earn.rotating ? "[0-9 ]*" : null,
    });
    if (prefilled) input.value = prefilled;
    const form = h("form", { class: "code-form", "data-code": stamp.id },
      h("label", { for: id }, TEXT.codeLabel(earn.rotating)), input,
      h("div", { class: "choices" },
        h("button", { type: "submit", class: "primary" }, TEXT.enter),
        earn.rotating && "BarcodeDetector" in window && navigator.mediaDevices?.getUserMedia
          ? h("button", { type: "button", "data-scan": stamp.id, onclick: (e) => scan(e.currentTarget, stamp, input) }, TEXT.scan) : null,
      ),
      h("video", { class: "scanner", hidden: true, playsinline: true, muted: true }),
    );
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      stopScan();
      play(form.querySelector("button[type=submit]"), stamp, "code", { code: input.value.trim() });
    });
    return form;
  }

  // The camera, where the browser has a QR code detector (BarcodeDetector); typing otherwise.
  async function scan(button, stamp, input) {
    if (view.scanning) return stopScan();
    const video = button.closest("form").querySelector("video");
    let stream;
    try {
      stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" } });
    } catch {
      say(stamp.id, TEXT.noCamera, "error");
      return;
    }
    const detector = new window.BarcodeDetector({ formats: ["qr_code"] });
    video.srcObject = stream;
    video.hidden = false;
    await video.play();
    button.textContent = TEXT.stopScan;
    view.scanning = { stream, video, button };
    while (view.scanning) {
      const codes = await detector.detect(video).catch(() => []);
      const match = codes.map((c) => /[#&]code=([0-9]+)/.exec(c.rawValue)).find(Boolean);
      if (match) {
        input.value = match[1];
        stopScan();
        input.form.requestSubmit();
        return;
      }
      await sleep(250);
    }
  }

  function stopScan() {
    const scanning = view.scanning;
    if (!scanning) return;
    view.scanning = null;
    scanning.stream.getTracks().forEach((t) => t.stop());
    scanning.video.hidden = true;
    scanning.button.textContent = TEXT.scan;
  }

  // ---------------------------------------------------------------- a partner's till

  function memberCodeBox() {
    const box = h("div", { class: "member-code" });
    box.append(h("button", {
      type: "button", class: "primary", "data-member-code": "1",
      onclick: (e) => page.act(e.currentTarget, async (progress) => {
        const me = await asMember((headers) => api.get("/issuer/siwe/session", { headers }), progress);
        box.replaceChildren(h("p", { class: "code-shown" }, TEXT.memberCode(me.memberCode)));
        document.getElementById("toast").hidden = true;
      }),
    }, TEXT.play("receipt")));
    return box;
  }

  // ---------------------------------------------------------------- playing and collecting

  async function play(button, stamp, activity, body) {
    await page.act(button, async (progress) => {
      const outcome = await asMember(
        (headers) => api.post(`/issuer/stamps/${stamp.id}/${activity}`, { ...body, payGas: state.payGas }, headers), progress);
      document.getElementById("toast").hidden = true;
      if (outcome.passed === false) {
        const quiz = stamp.earn;
        say(stamp.id, TEXT.failed(outcome.score, outcome.questions, outcome.passMark, quiz.attempts_per_day), "error");
        return;
      }
      say(stamp.id, outcome.score !== null && outcome.score !== undefined ? TEXT.passed(outcome.score, outcome.questions) : TEXT.codeOk, "ok");
      await collect(stamp, outcome.voucher, progress);
    });
  }

  // Follow an earned voucher to the member's collection: sent by the relay (or by the member's wallet when they pay
  // the fee), mined, then in the API's records. Says plainly when it has to wait (the DAO's allowance spent).
  async function collect(stamp, voucher, progress) {
    const levelBefore = state.member?.level ?? 0;
    view.pending = new Set([...(view.pending || []), stamp.id]);
    render();
    say(stamp.id, TEXT.onItsWay);
    if (voucher.status === "ready") {
      progress(TEXT.confirm);
      const prepared = await state.wallet.claimPayingFee({
        member: voucher.member, stampId: BigInt(voucher.stampId), nonce: BigInt(voucher.nonce),
        deadline: BigInt(voucher.deadline), signature: voucher.signature,
      });
      await page.deliver(prepared, progress);
    }
    progress(TEXT.onItsWay);
    const end = Date.now() + COLLECT_TIMEOUT_MS;
    while (Date.now() < end) {
      await page.reloadMember();
      if (held().has(stamp.id)) break;
      const mine = await asMember((headers) => api.get("/issuer/vouchers", { headers }));
      const latest = mine.data.find((v) => v.stampId === stamp.id);
      if (latest?.status === "refused") throw new ApiError(TEXT.refused(page.friendly(new ApiError(latest.reason || "", 422))), 422);
      // The DAO's allowance spent, or Odyssey paused: the voucher stays valid and is sent later. Any other wait (the
      // relay busy with the member's previous transaction, the node away) is seconds: keep following it.
      if (latest?.status === "waiting" && /IssuanceBudget|EnforcedPause/.test(latest.reason || "")) {
        view.pending.delete(stamp.id);
        render();
        page.toast(/IssuanceBudget/.test(latest.reason) ? TEXT.budget : TEXT.waiting(page.friendly(new ApiError(latest.reason, 503))), "error");
        return;
      }
      await sleep(1000);
    }
    view.pending.delete(stamp.id);
    if (!held().has(stamp.id)) {
      render();
      page.toast(TEXT.slow);
      return;
    }
    page.toast(TEXT.arrived(stamp.name, stamp.points, levelBefore, state.member.level));
    view.open = null;
    render();
    await awaitCompletion();
  }

  // A completion stamp the member now qualifies for: the issuer sends it by itself within seconds; show it arriving.
  async function awaitCompletion() {
    const mine = held();
    for (const journey of view.journeys) {
      for (const stamp of journey.stamp_types) {
        const earn = stamp.earn;
        if (earn?.kind !== "completion" || mine.has(stamp.id) || !earn.requires.every((id) => mine.has(id))) continue;
        view.pending = new Set([...(view.pending || []), stamp.id]);
        render();
        const end = Date.now() + COLLECT_TIMEOUT_MS;
        while (Date.now() < end && !held().has(stamp.id)) {
          await sleep(1500);
          await page.reloadMember();
        }
        view.pending.delete(stamp.id);
        render();
        if (held().has(stamp.id)) page.toast(TEXT.complete(TEXT.arrived(stamp.name, stamp.points, 0, state.member.level)));
      }
    }
  }

  // ---------------------------------------------------------------- deep links

  function followLink() {
    const params = new URLSearchParams(location.hash.slice(1));
    if (params.has("claim")) return;
    const journeyId = params.get("journey");
    const stampId = params.get("stamp");
    if (stampId) {
      const found = findStamp(stampId);
      if (!found) {
        page.toast(TEXT.deepLinkUnknown(stampId), "error");
        return;
      }
      if (state.account) open(found.journey.id, found.stamp.id, params.get("code"));
      $(`stamp-${found.stamp.id}`)?.scrollIntoView({ block: "center" });
    } else if (journeyId) {
      $(`journey-${journeyId}`)?.scrollIntoView({ block: "start" });
    }
  }

  window.addEventListener("hashchange", followLink);

  return {
    async load() {
      await load();
      followLink();
    },
    async onConnected() {
      render();
      followLink();
      if (state.member) awaitCompletion();
    },
    render,
  };
}
