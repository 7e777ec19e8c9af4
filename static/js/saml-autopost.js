// Sends the identity provider's answer on to the portal without a click; the page also has a
// visible "Continue" button for browsers without JavaScript.
document.addEventListener("DOMContentLoaded", function () {
    var form = document.getElementById("saml-autopost");
    if (form) {
        form.submit();
    }
});
