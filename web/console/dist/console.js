// Placeholder until the console's bundle is built (web/console, npm run build).
document.getElementById("console").textContent = "The console's bundle is not built yet.";
