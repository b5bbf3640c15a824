// The MsaShop storefront: plain JavaScript against the public API, through the gateway that serves this file.
const pageSize = 8;
const terminal = new Set(["Completed", "Cancelled"]);
const $ = (selector, root = document) => root.querySelector(selector);

const state = {
  settings: { developmentSignIn: false, apiReference: null, dashboardUrl: null },
  token: sessionStorage.getItem("msashop.token"),
  customer: sessionStorage.getItem("msashop.customer"),
  page: 1, total: 0, search: "",
  catalogVersion: null,
  cart: new Map(), // productId -> { item, quantity }
};

// Random hex from the platform's generator (crypto.randomUUID needs a secure context; this does not).
function randomHex(bytes) {
  return Array.from(crypto.getRandomValues(new Uint8Array(bytes)), b => b.toString(16).padStart(2, "0")).join("");
}

function newIdempotencyKey() {
  const hex = randomHex(16).split("");
  hex[12] = "4"; hex[16] = "89ab"[parseInt(hex[16], 16) & 3];
  const s = hex.join("");
  return `${s.slice(0, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}-${s.slice(16, 20)}-${s.slice(20)}`;
}

const money = value => Number(value).toFixed(2);

async function api(path, { method = "GET", body, headers = {} } = {}) {
  const init = { method, headers: { Accept: "application/json", ...headers } };
  if (state.token) init.headers.Authorization = `Bearer ${state.token}`;
  if (body !== undefined) { init.body = JSON.stringify(body); init.headers["Content-Type"] = "application/json"; }
  const response = await fetch(path, init);
  const text = await response.text();
  const json = text ? JSON.parse(text) : null;
  return { response, json };
}

// A ProblemDetails as one line: its detail, or the validation errors, or its title.
function problemText({ response, json }) {
  if (json?.errors) return Object.values(json.errors).flat().join(" ");
  return json?.detail || json?.title || `${response.status} ${response.statusText}`;
}

async function loadCatalog() {
  const query = new URLSearchParams({ page: state.page, pageSize });
  if (state.search) query.set("search", state.search);
  const result = await api(`/api/catalog/items?${query}`);
  if (!result.response.ok) { $("#catalog-served-by").textContent = problemText(result); return; }
  state.total = result.json.total;
  state.catalogVersion = result.response.headers.get("X-Catalog-Version");
  const items = state.total === 1 ? "1 item" : `${state.total} items`;
  $("#catalog-served-by").textContent = `${items} · served by the ${state.catalogVersion ?? "unknown"} catalog`;
  const list = $("#items");
  list.replaceChildren(...result.json.items.map(renderItem));
  const pages = Math.max(1, Math.ceil(state.total / pageSize));
  $("#page-info").textContent = `Page ${state.page} of ${pages}`;
  $("#previous-page").disabled = state.page <= 1;
  $("#next-page").disabled = state.page >= pages;
}

function renderItem(item) {
  const li = document.createElement("li");
  li.dataset.productId = item.id;
  const name = document.createElement("strong"); name.textContent = item.name;
  const description = document.createElement("p"); description.textContent = item.description;
  const price = document.createElement("span"); price.className = "price"; price.textContent = money(item.price);
  const stock = document.createElement("small"); stock.textContent = `${item.availableStock} in stock`;
  const add = document.createElement("button"); add.type = "button"; add.textContent = "Add to cart";
  add.disabled = item.availableStock < 1;
  add.addEventListener("click", () => addToCart(item));
  li.append(name, description, price, stock, add);
  return li;
}

function addToCart(item) {
  const line = state.cart.get(item.id) ?? { item, quantity: 0 };
  line.quantity += 1;
  state.cart.set(item.id, line);
  renderCart();
}

function renderCart() {
  const lines = [...state.cart.values()].map(({ item, quantity }) => {
    const li = document.createElement("li");
    li.textContent = `${quantity} × ${item.name} `;
    const remove = document.createElement("button"); remove.type = "button"; remove.textContent = "Remove";
    remove.addEventListener("click", () => { state.cart.delete(item.id); renderCart(); });
    li.append(remove);
    return li;
  });
  $("#cart-lines").replaceChildren(...lines);
  const total = [...state.cart.values()].reduce((sum, { item, quantity }) => sum + item.price * quantity, 0);
  $("#cart-total").textContent = money(total);
  $("#place-order").disabled = state.cart.size === 0 || !state.token;
  $("#order-error").textContent = state.token || state.cart.size === 0 ? "" : "Sign in to place an order.";
}

function renderSignIn() {
  const signedIn = Boolean(state.token);
  $("#signed-in-as").hidden = !signedIn;
  $("#signed-in-as").textContent = signedIn ? `Signed in as ${state.customer}` : "";
  $("#customer").parentElement.hidden = signedIn;
  $("#sign-in-button").hidden = signedIn;
  $("#sign-out-button").hidden = !signedIn;
  $("#sign-in-button").disabled = !state.settings.developmentSignIn;
  $("#sign-in-note").textContent = state.settings.developmentSignIn || signedIn
    ? "" : "Sign-in here is for development customers; this deployment takes tokens from its identity provider.";
  renderCart();
}

async function signIn(event) {
  event.preventDefault();
  const customer = $("#customer").value.trim();
  const result = await api("/storefront/dev-token", { method: "POST", body: { customer } });
  if (!result.response.ok) { $("#sign-in-note").textContent = problemText(result); return; }
  state.token = result.json.accessToken; state.customer = result.json.customer;
  sessionStorage.setItem("msashop.token", state.token); sessionStorage.setItem("msashop.customer", state.customer);
  renderSignIn();
}

function signOut() {
  state.token = null; state.customer = null;
  sessionStorage.removeItem("msashop.token"); sessionStorage.removeItem("msashop.customer");
  renderSignIn();
}

async function placeOrder() {
  const button = $("#place-order");
  button.disabled = true;
  $("#order-error").textContent = "";
  const body = {
    items: [...state.cart.values()].map(({ item, quantity }) => ({ productId: item.id, quantity })),
    paymentToken: $("#payment-token").value,
  };
  // One key per order the customer means to place: a retry after a lost answer cannot order twice.
  const idempotencyKey = newIdempotencyKey();
  const traceparent = `00-${randomHex(16)}-${randomHex(8)}-01`;
  let result;
  for (let attempt = 1; attempt <= 2 && !result; attempt++) {
    try {
      result = await api("/api/orders", { method: "POST", body, headers: { "Idempotency-Key": idempotencyKey, traceparent } });
    } catch (error) {
      if (attempt === 2) $("#order-error").textContent = `The order could not be sent: ${error.message}`;
    }
  }
  button.disabled = false;
  if (!result) return;
  if (result.response.status !== 202) { $("#order-error").textContent = problemText(result); return; }

  const traceId = (result.response.headers.get("traceresponse") ?? traceparent).split("-")[1];
  const card = renderOrder(result.json, result.json.orderId, { traceId, idempotencyKey, catalogVersion: state.catalogVersion });
  state.cart.clear();
  renderCart();
  await followOrder(result.response.headers.get("Location") ?? `/api/orders/${result.json.orderId}`, card);
  // The saga moved stock: show it.
  await loadCatalog();
}

function renderOrder(order, orderId, { traceId, idempotencyKey, catalogVersion }) {
  const card = $("#order-template").content.firstElementChild.cloneNode(true);
  card.dataset.orderId = orderId;
  $(".order-id", card).textContent = orderId;
  $(".idempotency-key", card).textContent = idempotencyKey;
  $(".catalog-version", card).textContent = catalogVersion ?? "unknown";
  $(".trace-id", card).textContent = traceId;
  if (state.settings.dashboardUrl) {
    const link = $(".trace-link", card);
    link.href = `${state.settings.dashboardUrl.replace(/\/$/, "")}/traces/detail/${traceId}`;
    link.hidden = false;
  }
  $("#order-list").prepend(card);
  showStatus(card, order);
  return card;
}

function showStatus(card, order) {
  const steps = ["Submitted", "AwaitingPayment"];
  const reached = terminal.has(order.status) ? steps.length : steps.indexOf(order.status) + 1;
  card.querySelectorAll(".timeline li").forEach((li, index) => li.classList.toggle("done", index < reached));
  const outcome = $('[data-step="Outcome"]', card);
  outcome.textContent = terminal.has(order.status) ? order.status : "Completed or Cancelled";
  outcome.className = order.status === "Completed" ? "completed" : order.status === "Cancelled" ? "cancelled" : "";
  if (order.total !== undefined) $(".order-total", card).textContent = money(order.total);
  card.dataset.status = order.status;
  $(".order-status", card).textContent = order.status === "Cancelled"
    ? `Cancelled: ${order.failureReason ?? "no reason given"}` : order.status;
}

async function followOrder(location, card) {
  for (let polls = 0; polls < 240; polls++) {
    const result = await api(location);
    if (result.response.ok) {
      showStatus(card, result.json);
      if (terminal.has(result.json.status)) return;
    }
    await new Promise(resolve => setTimeout(resolve, 500));
  }
}

async function start() {
  const settings = await api("/storefront/settings");
  if (settings.response.ok) state.settings = settings.json;
  if (state.settings.apiReference) {
    const link = document.createElement("a");
    link.href = state.settings.apiReference; link.textContent = "API reference (Development)";
    $("#api-reference").append(link);
  }
  $("#sign-in").addEventListener("submit", signIn);
  $("#sign-out-button").addEventListener("click", signOut);
  $("#search").addEventListener("submit", event => {
    event.preventDefault(); state.search = $("#search-text").value.trim(); state.page = 1; loadCatalog();
  });
  $("#previous-page").addEventListener("click", () => { state.page -= 1; loadCatalog(); });
  $("#next-page").addEventListener("click", () => { state.page += 1; loadCatalog(); });
  $("#place-order").addEventListener("click", placeOrder);
  renderSignIn();
  await loadCatalog();
  // The moment the page answers a click: the browser test reads it as the time to interactive.
  performance.mark("msashop-interactive");
  document.documentElement.dataset.ready = "true";
}

start();
