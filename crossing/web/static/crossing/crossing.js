// Small behaviours without inline scripts (the CSP allows only our own files).
document.addEventListener("change", function (event) {
  if (event.target.classList && event.target.classList.contains("autosubmit")) {
    event.target.form.submit();
  }
});
