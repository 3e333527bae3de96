// The app's service worker (Workbox): the shell (page, script, styles, manifest, icon) is
// precached at install, so the app opens with no connection; every other request (the API) goes
// to the network untouched, so no answer with personal data is ever cached by the worker.
import { cleanupOutdatedCaches, createHandlerBoundToURL, precacheAndRoute } from "workbox-precaching";
import { NavigationRoute, registerRoute } from "workbox-routing";

precacheAndRoute(self.__WB_MANIFEST); // the built files with their revisions (build.mjs)
cleanupOutdatedCaches();
// any page of the app (/mobile/, /mobile/?lang=en) is the one shell; its views are #fragments
registerRoute(
  new NavigationRoute(createHandlerBoundToURL("/mobile/index.html"), { allowlist: [/^\/mobile\//] }),
);
// a new build takes over at once: the outbox lives in IndexedDB, not in the worker
self.addEventListener("install", () => self.skipWaiting());
self.addEventListener("activate", (event) => event.waitUntil(self.clients.claim()));
