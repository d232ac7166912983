document.getElementById("root").textContent = "web-fixture";
