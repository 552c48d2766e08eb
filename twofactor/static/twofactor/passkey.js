// After django-otp-webauthn's script registered a passkey, go on to the next step: post the
// (hidden) form that makes the recovery codes the first time, or returns to the list.
"use strict";
document.addEventListener("otp_webauthn.register_complete", () => {
  const form = document.getElementById("passkey-done");
  if (form) {
    form.submit();
  }
});
