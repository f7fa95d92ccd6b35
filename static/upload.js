// Progress for uploads: a layer over the plain form, which works without this script.
(function () {
  'use strict';
  var form = document.getElementById('upload-form');
  if (!form || !window.XMLHttpRequest || !window.FormData) {
    return;
  }
  var box = document.getElementById('upload-progress');
  var bar = document.getElementById('progress-bar');
  var stage = document.getElementById('progress-stage');
  var text = document.getElementById('progress-text');
  var errorBox = document.getElementById('upload-error');
  var button = document.getElementById('upload-button');

  function show(stageText, percent, detail) {
    box.hidden = false;
    stage.textContent = stageText;
    text.textContent = detail || '';
    if (percent === null) {
      bar.removeAttribute('value');
    } else {
      bar.value = percent;
    }
  }

  function fail(message) {
    box.hidden = true;
    errorBox.textContent = message;
    errorBox.hidden = false;
    button.disabled = false;
  }

  function poll(id) {
    var xhr = new XMLHttpRequest();
    xhr.open('GET', '/api/v1/analyses/' + encodeURIComponent(id));
    xhr.setRequestHeader('Accept', 'application/json');
    xhr.onload = function () {
      if (xhr.status !== 200) {
        fail('Could not follow the analysis (HTTP ' + xhr.status + ').');
        return;
      }
      var a = JSON.parse(xhr.responseText);
      if (a.status === 'running') {
        var p = a.progress || {records: 0, fraction: 0};
        show('Analysing', Math.round(p.fraction * 100), p.records.toLocaleString() + ' records analysed');
        window.setTimeout(function () { poll(id); }, 500);
      } else {
        window.location.assign('/analyses/' + encodeURIComponent(id));
      }
    };
    xhr.onerror = function () { fail('The connection to the service was lost.'); };
    xhr.send();
  }

  form.addEventListener('submit', function (event) {
    var input = document.getElementById('file');
    if (!input.files || input.files.length === 0) {
      return;
    }
    event.preventDefault();
    errorBox.hidden = true;
    button.disabled = true;
    show('Uploading', 0, '');
    var xhr = new XMLHttpRequest();
    xhr.open('POST', '/api/v1/analyses?wait=0');
    xhr.setRequestHeader('Accept', 'application/json');
    // The page's CSRF token: the service refuses uploads from browsers without it.
    xhr.setRequestHeader('X-CSRF-Token', form.elements.csrf ? form.elements.csrf.value : '');
    xhr.upload.onprogress = function (e) {
      if (e.lengthComputable) {
        var pct = Math.round(100 * e.loaded / e.total);
        show('Uploading', pct, (e.loaded / 1048576).toFixed(1) + ' of ' + (e.total / 1048576).toFixed(1) + ' MB sent');
      }
    };
    xhr.upload.onload = function () { show('Starting the analysis', null, ''); };
    xhr.onload = function () {
      var body = null;
      try { body = JSON.parse(xhr.responseText); } catch (ignored) { body = null; }
      if (xhr.status === 201 && body) {
        poll(body.id);
      } else {
        fail(body && body.error ? body.error : 'The upload failed (HTTP ' + xhr.status + ').');
      }
    };
    xhr.onerror = function () { fail('The connection to the service was lost during the upload.'); };
    xhr.send(new FormData(form));
  });
}());
