// A copy button for each virtual bar code (PAY-2). Without script the buttons stay hidden and the
// bar code is text in a read-only field, to select and copy as any text.
document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("button[data-copy]").forEach(function (button) {
        var name = button.getAttribute("data-copy");
        var field = document.getElementById(name);
        var status = document.getElementById(name + "-status");
        if (!field) {
            return;
        }
        button.hidden = false;
        button.addEventListener("click", function () {
            var copied = function () {
                if (status) {
                    status.textContent = button.getAttribute("data-copied");
                }
            };
            field.select();
            if (navigator.clipboard && navigator.clipboard.writeText) {
                navigator.clipboard.writeText(field.value).then(copied, function () {
                    if (document.execCommand("copy")) {
                        copied();
                    }
                });
            } else if (document.execCommand("copy")) {
                copied();
            }
        });
    });
});
