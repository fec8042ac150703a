// Scans a certificate's QR code with the phone's camera, on the page itself: frames go to the vendored jsQR
// decoder and nothing leaves the device. A code pointing at /verify/{code} opens the manager's verify result.
(function () {
  "use strict";
  var start = document.getElementById("scan-start");
  if (!start) { return; }
  var video = document.getElementById("scan-video");
  var status = document.getElementById("scan-status");
  var canvas = document.createElement("canvas");
  var context = canvas.getContext("2d", { willReadFrequently: true });
  var stream = null;

  function stop() {
    if (stream) { stream.getTracks().forEach(function (t) { t.stop(); }); stream = null; }
    video.hidden = true;
  }

  function tick() {
    if (!stream) { return; }
    if (video.readyState === video.HAVE_ENOUGH_DATA) {
      canvas.width = video.videoWidth;
      canvas.height = video.videoHeight;
      context.drawImage(video, 0, 0, canvas.width, canvas.height);
      var image = context.getImageData(0, 0, canvas.width, canvas.height);
      var found = window.jsQR(image.data, image.width, image.height, { inversionAttempts: "dontInvert" });
      if (found && found.data) {
        var match = /\/verify\/([0-9A-Za-z-]{16,40})/.exec(found.data);
        if (match) {
          stop();
          status.textContent = start.dataset.found;
          window.location.href = "/manage/verify?code=" + encodeURIComponent(match[1]);
          return;
        }
        status.textContent = start.dataset.notOurs;
      }
    }
    window.requestAnimationFrame(tick);
  }

  start.addEventListener("click", function () {
    if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) {
      status.textContent = start.dataset.unsupported;
      return;
    }
    navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" } }).then(function (s) {
      stream = s;
      video.srcObject = s;
      video.hidden = false;
      video.setAttribute("playsinline", "true");
      video.play();
      status.textContent = start.dataset.scanning;
      window.requestAnimationFrame(tick);
    }).catch(function () {
      status.textContent = start.dataset.denied;
    });
  });
})();
