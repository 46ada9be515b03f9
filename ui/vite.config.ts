/// <reference types="vitest/config" />
import { defineConfig } from "vite";
import { svelte } from "@sveltejs/vite-plugin-svelte";
import { svelteTesting } from "@testing-library/svelte/vite";
import { paraglideVitePlugin } from "@inlang/paraglide-js";

// Tauri loads the dev server from a fixed port (src-tauri/tauri.conf.json `devUrl`),
// so the port must never silently move.
export default defineConfig({
  plugins: [
    // Compiles ui/messages/*.json into typed message functions (src/lib/paraglide, generated and
    // gitignored) on start and on every catalog change, for dev, build and vitest alike. The npm
    // scripts also compile first, for svelte-check and eslint, which do not run vite.
    // No cookie or URL strategy: the backend says which language the page starts in.
    paraglideVitePlugin({
      project: "./project.inlang",
      outdir: "./src/lib/paraglide",
      strategy: ["globalVariable", "baseLocale"],
      emitTsDeclarations: true,
    }),
    svelte(),
    svelteTesting(),
  ],
  clearScreen: false,
  server: {
    port: 5173,
    strictPort: true,
    watch: { ignored: ["**/src-tauri/**"] },
  },
  envPrefix: ["VITE_", "TAURI_ENV_"],
  build: {
    // WebKitGTK 2.4x and current WKWebView / WebView2 all handle ES2022.
    target: "es2022",
    sourcemap: false,
  },
  test: {
    environment: "jsdom",
    include: ["src/**/*.test.ts"],
    restoreMocks: true,
  },
});
