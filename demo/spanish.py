"""The demo site's Spanish pages: the home page, the conditions list, the sciatica page, the clinic and
the appointment page, translated with wagtail-localize as an editor would, segment by segment.

Each English text the pages hold has its Spanish here, written for patients (usted). A page that
already has a Spanish version is left as it is. The Spanish sciatica page is published awaiting its
own medical review: it is submitted to the "Medical review" workflow and shows no review line.
"""

from wagtail.contrib.redirects.models import Redirect
from wagtail.models import Locale, Page, Workflow
from wagtail_localize.models import StringSegment, StringTranslation, Translation, TranslationSource

SPANISH = {
    # --- slugs -------------------------------------------------------------------------------
    "home": "inicio",
    "contact": "cita",
    "locations": "clinicas",
    "charleston": "charleston",
    "conditions": "condiciones",
    "sciatica-back-spasms": "ciatica-espasmos-de-espalda",
    # --- home page ---------------------------------------------------------------------------
    "Orthopaedic and sports medicine care for patients in Charleston, SC: diagnosis, treatment and recovery "
    "for bones, joints, muscles and the spine.": "Atención de ortopedia y medicina deportiva para pacientes en "
    "Charleston, SC: diagnóstico, tratamiento y recuperación de huesos, articulaciones, músculos y columna.",
    "Orthopaedic and sports medicine care in Charleston, SC": "Ortopedia y medicina deportiva en Charleston, SC",
    "Specialists for bones, joints, muscles and the spine: a clear diagnosis, treatment that starts with the "
    "simplest option, and help getting back to what you love.": "Especialistas en huesos, articulaciones, músculos "
    "y columna: un diagnóstico claro, un tratamiento que empieza por la opción más sencilla y ayuda para volver a "
    "hacer lo que le gusta.",
    "Request an appointment": "Pida una cita",
    "Find your condition": "Busque su afección",
    "Where does it hurt?": "¿Dónde le duele?",
    "Choose an area to see the conditions we treat there.": "Elija una zona para ver las afecciones que tratamos allí.",
    "Common conditions we treat": "Afecciones frecuentes que tratamos",
    "Why patients choose us": "Por qué nos eligen los pacientes",
    "Specialists in one place": "Especialistas en un mismo lugar",
    "Orthopaedic physicians and physical therapists who work together on your care.": "Médicos ortopedistas y "
    "fisioterapeutas que trabajan juntos en su atención.",
    "The simplest treatment first": "Primero, el tratamiento más sencillo",
    "Most back and joint problems get better without surgery; we start there.": "La mayoría de los problemas de "
    "espalda y de articulaciones mejoran sin cirugía; por ahí empezamos.",
    "Reviewed by physicians": "Revisado por médicos",
    "Our condition guides are checked by our physicians; each says who reviewed it and when.": "Nuestros médicos "
    "revisan las guías sobre afecciones; cada una indica quién la revisó y cuándo.",
    "Meet our clinicians": "Conozca a nuestros profesionales",
    "Visit us": "Visítenos",
    "Ready to feel better?": "¿Listo para sentirse mejor?",
    "Tell us what is bothering you and we will call you back to arrange a visit.": "Díganos qué le molesta y le "
    "llamaremos para programar una visita.",
    # --- appointment page --------------------------------------------------------------------
    "Request an Appointment": "Pida una cita",
    "Tell us how to reach you and which clinic suits you, and our front desk will call you to arrange a time.": (
        "Díganos cómo comunicarnos con usted y qué clínica le conviene, y nuestra recepción le llamará para "
        "acordar una hora."
    ),
    "Our front desk will call you within one working day to find a time that suits you. If we miss you, we "
    "will try again or email you.": "Nuestra recepción le llamará en un plazo de un día hábil para buscar una hora "
    "que le convenga. Si no logramos hablar con usted, volveremos a intentarlo o le enviaremos un correo electrónico.",
    "Name": "Nombre",
    "Phone": "Teléfono",
    "We will call you on this number to arrange a time.": "Le llamaremos a este número para acordar una hora.",
    "Email": "Correo electrónico",
    "If you would like us to email you too.": "Si desea que también le escribamos por correo electrónico.",
    "Preferred clinic": "Clínica de su preferencia",
    "Preferred physician": "Médico de su preferencia",
    "Leave it as “No preference” and we will find the right clinician for you.": "Deje “Sin preferencia” y "
    "nosotros buscaremos el profesional adecuado para usted.",
    "Preferred time of day": "Horario de su preferencia",
    "Morning<br/>Afternoon<br/>No preference": "Mañana<br/>Tarde<br/>Sin preferencia",
    "No preference": "Sin preferencia",
    "Reason for your visit": "Motivo de su visita",
    "Back pain or sciatica<br/>Sports injury<br/>Joint pain<br/>Other": "Dolor de espalda o ciática<br/>Lesión "
    "deportiva<br/>Dolor en las articulaciones<br/>Otro",
    "I understand this form is not for emergencies or medical details": "Entiendo que este formulario no es para "
    "emergencias ni para dar detalles médicos",
    "In an emergency, call 911. We will ask about your symptoms when we call.": "En una emergencia, llame al 911. "
    "Le preguntaremos por sus síntomas cuando le llamemos.",
    # --- clinics -----------------------------------------------------------------------------
    "Our Locations": "Nuestras clínicas",
    "Where to find us, when we are open and how to get there.": "Dónde estamos, cuándo abrimos y cómo llegar.",
    "Charleston Clinic": "Clínica de Charleston",
    "Drawing of a two-storey clinic front with a blue door under an orange awning": "Dibujo de la fachada de "
    "una clínica de dos pisos con una puerta azul bajo un toldo naranja",
    "The entrance faces the street, between the pharmacy and the bank.": "La entrada da a la calle, entre la "
    "farmacia y el banco.",
    "Free patient parking behind the building, with four accessible spaces by the rear door.": "Estacionamiento "
    "gratuito para pacientes detrás del edificio, con cuatro espacios accesibles junto a la puerta trasera.",
    "Step-free entrances front and back, a lift to the second floor, accessible restrooms on both floors and "
    "wheelchairs to borrow at the front desk.": "Entradas sin escalones por delante y por detrás, ascensor al "
    "segundo piso, baños accesibles en ambos pisos y sillas de ruedas en préstamo en la recepción.",
    # --- conditions --------------------------------------------------------------------------
    "Conditions We Treat": "Afecciones que tratamos",
    "Plain-language guides to the conditions our orthopaedic specialists treat.": "Guías en lenguaje sencillo sobre "
    "las afecciones que tratan nuestros especialistas en ortopedia.",
    "Sciatica / Back Spasms": "Ciática / Espasmos de espalda",
    "A back spasm is when the muscles in your back are flexing and relaxing involuntarily. These spasms can be "
    "anything from tiny movements to contractions that can become crippling.": "Un espasmo de espalda ocurre cuando "
    "los músculos de la espalda se contraen y se relajan sin que usted lo quiera. Puede ir desde movimientos muy "
    "pequeños hasta contracciones que llegan a impedirle moverse.",
    "Muscle spasms in the back": "Espasmos musculares en la espalda",
    "Back spasm treatment in Charleston, SC": "Tratamiento de los espasmos de espalda en Charleston, SC",
    "If you struggle with back spasms in Charleston, SC, you need to make sure that you are able to get them "
    "treated properly so that you can have the relief you need.": "Si sufre espasmos de espalda en Charleston, SC, "
    "es importante que reciba un tratamiento adecuado para obtener el alivio que necesita.",
    "Symptoms": "Síntomas",
    "A back spasm or sciatica can show itself in one or more of these ways:": "Un espasmo de espalda o la ciática "
    "pueden notarse de una o varias de estas maneras:",
    "Sudden tightness or cramping in the muscles of the lower back": "Tensión o calambres repentinos en los "
    "músculos de la parte baja de la espalda",
    "Pain that makes it hard to stand straight, walk or sit comfortably": "Dolor que le impide estar derecho, "
    "caminar o sentarse con comodidad",
    "Pain that runs from the buttock down the back of one leg": "Dolor que baja desde la nalga por la parte de atrás "
    "de una pierna",
    "Tingling, pins and needles or numbness in the leg or foot": "Hormigueo, pinchazos o adormecimiento en la "
    "pierna o el pie",
    "Pain that is worse when you cough, sneeze or sit for a long time": "Dolor que empeora al toser, estornudar o "
    "estar sentado mucho tiempo",
    "Common Causes of Back Spasms": "Causas frecuentes de los espasmos de espalda",
    "Back spasms can be caused by a number of different things and knowing the cause can help determine the "
    "course of treatment. Some of the more common causes of back spasms include:": "Los espasmos de espalda pueden "
    "tener muchas causas, y conocer la causa ayuda a decidir el tratamiento. Estas son algunas de las más "
    "frecuentes:",
    "Lack of Muscle Use": "Poco uso de los músculos",
    "If you don’t use the muscles in your back enough, they can become weak, which may lead them to spasm.": (
        "Si no usa lo suficiente los músculos de la espalda, pueden debilitarse, y eso puede causar espasmos."
    ),
    "Injury": "Lesiones",
    "Even an injury that took place some time ago can result in back spasms. Any type of physical trauma that "
    "impacts your back muscles, spinal cord, or brain can cause injuries.": "Incluso una lesión de hace tiempo "
    "puede causar espasmos de espalda. Cualquier golpe o traumatismo que afecte a los músculos de la espalda, a la "
    "médula espinal o al cerebro puede causar lesiones.",
    "Diet": "Alimentación",
    "Muscle spasms, including those in your back, can occur due to insufficient water, calcium, or potassium.": (
        "Los espasmos musculares, también los de la espalda, pueden deberse a la falta de agua, calcio o potasio."
    ),
    "Stress and Anxiety": "Estrés y ansiedad",
    "Some people experience muscle spasms due to mental health or other emotional issues that they are dealing "
    "with.": "Algunas personas tienen espasmos musculares por problemas de salud mental u otros problemas "
    "emocionales que están atravesando.",
    "Over-Exercising": "Exceso de ejercicio",
    "If you are engaging in particularly strenuous exercises that involve your back muscles, they may begin to "
    "spasm.": "Si hace ejercicios muy exigentes para los músculos de la espalda, estos pueden empezar a tener "
    "espasmos.",
    "Complications From Back Spasms": "Complicaciones de los espasmos de espalda",
    "The most common issues related to back spasms are that they are annoying. For those with more severe "
    "spasms, they can become debilitating because they can make it almost impossible to stand properly, walk, "
    "or even sit comfortably. Back spasms can also lead to sciatica, making it wise to involve a sciatica doctor "
    "in Charleston, SC to help get relief.": "Lo más frecuente es que los espasmos de espalda sean molestos. Cuando "
    "son más fuertes, pueden llegar a incapacitar, porque hacen casi imposible estar de pie, caminar o incluso "
    "sentarse con comodidad. Los espasmos de espalda también pueden causar ciática, por lo que conviene consultar "
    "a un médico especialista en ciática en Charleston, SC, para encontrar alivio.",
    "Sciatica": "Ciática",
    "Getting Treatment For Back Spasms": "Cómo tratar los espasmos de espalda",
    "If your back spasms are more severe, or they happen regularly, you will want to work with a back spasm or "
    "sciatica doctor to get proper treatment. Back spasms can be treated with physical therapy and medication, "
    "and in rare cases, surgery.": "Si sus espasmos de espalda son fuertes o se repiten con frecuencia, le conviene "
    "consultar a un médico especialista en espasmos de espalda o ciática para recibir un tratamiento adecuado. Los "
    "espasmos de espalda se tratan con fisioterapia y medicamentos y, en casos poco frecuentes, con cirugía.",
    "Heat or ice": "Calor o hielo",
    "For minor back spasms, you can apply heat or ice to try to get relief.": "Para los espasmos leves, puede "
    "aplicar calor o hielo para intentar aliviarlos.",
    "Over-the-counter anti-inflammatory medication": "Antiinflamatorios de venta libre",
    "If they only occur occasionally, you could take an over-the-counter anti-inflammatory medication to help "
    "relax the muscles.": "Si solo ocurren de vez en cuando, puede tomar un antiinflamatorio de venta libre para "
    "ayudar a relajar los músculos.",
    "Physical therapy": "Fisioterapia",
    "Surgery, in rare cases": "Cirugía, en casos poco frecuentes",
    "When to call 911": "Cuándo llamar al 911",
    "Call 911 or go to the emergency room if back pain or sciatica comes with any of these: you lose control of "
    "your bladder or bowels, or cannot pass urine; the skin around your genitals, bottom or inner thighs feels "
    "numb; or both legs suddenly feel weak or numb. These can be signs that the nerves at the base of the spine "
    "are pressed and need treatment at once.": "Llame al 911 o vaya a la sala de emergencias si el dolor de espalda "
    "o la ciática vienen con alguno de estos problemas: pierde el control de la vejiga o del intestino, o no puede "
    "orinar; siente adormecida la piel alrededor de los genitales, las nalgas o la parte interna de los muslos; o "
    "de repente siente débiles o adormecidas las dos piernas. Pueden ser señales de que los nervios de la base de "
    "la columna están comprimidos y necesitan tratamiento de inmediato.",
    "Contact South Carolina Sports Medicine &amp; Orthopaedic Center to discuss your specific situation and get "
    "the treatment plan you need.": "Comuníquese con South Carolina Sports Medicine &amp; Orthopaedic Center para "
    "hablar de su caso y recibir el plan de tratamiento que necesita.",
}

# Names, the same in both languages.
for name in (
    "South Carolina Sports Medicine &amp; Orthopaedic Center",
    "Mount Pleasant, West Ashley, James Island, Johns Island",
):
    SPANISH[name] = name

# In the order a translator would work: each page's parent first.
DEMO_PAGES = ["home", "contact", "locations", "charleston", "conditions", "sciatica-back-spasms"]


def spanish_locale():
    locale, _ = Locale.objects.get_or_create(language_code="es")
    return locale


def translate_page(page, locale, texts=SPANISH):
    """The page's translation into `locale` through wagtail-localize, with every segment's text from
    `texts`, published; None (and nothing changed) when the page already has a translation there."""
    if page.has_translation(locale):
        return None
    source, created = TranslationSource.get_or_create_from_instance(page)
    if not created:
        source.update_from_db()
    translation, _ = Translation.objects.get_or_create(source=source, target_locale=locale)
    for segment in StringSegment.objects.filter(source=source).select_related("string", "context"):
        english = segment.string.data
        if english not in texts:
            raise KeyError(f"No Spanish for {english!r} ({page.url_path}, {segment.context.path})")
        StringTranslation.objects.get_or_create(
            translation_of=segment.string,
            locale=locale,
            context=segment.context,
            defaults={"data": texts[english], "translation_type": StringTranslation.TRANSLATION_TYPE_MANUAL},
        )
    # Saved as a draft, then published here and now: wagtail-localize would publish once the
    # transaction commits, after the sciatica page has been sent to medical review.
    translation.save_target(publish=False)
    translated = page.get_translation(locale)
    translated.get_latest_revision().publish()
    # Wagtail keeps a redirect from the draft copy's first (English) slug; it was never public.
    Redirect.objects.filter(redirect_page=translated).delete()
    return translated


def ensure_spanish_pages(home, created):
    """Spanish versions of the demo pages that have none yet; the sciatica page goes to medical review."""
    locale = spanish_locale()
    translated_home = None
    for slug in DEMO_PAGES:
        page = home if slug == "home" else Page.objects.descendant_of(home).filter(slug=slug).first()
        if page is None:
            continue
        translated = translate_page(page.specific, locale)
        if translated is None:
            continue
        created.append(f"Spanish page {translated.url}")
        if slug == "home":
            translated_home = translated
        if slug == "sciatica-back-spasms":
            submit_for_medical_review(translated.specific)
            created.append(f"medical review requested for {translated.url}")
    if translated_home is not None:
        # Synced again, as an editor would after translating the pages it features: its links now
        # lead to the Spanish conditions list and sciatica page.
        resync(home, locale)
        order_like_english(home, translated_home)


def resync(page, locale):
    translation = Translation.objects.get(source__object_id=page.translation_key, target_locale=locale)
    translation.source.update_from_db()
    translation.save_target(publish=False)
    page.get_translation(locale).get_latest_revision().publish()


def submit_for_medical_review(page):
    """Start the page's workflow (Medical review, inherited from the Spanish conditions list)."""
    workflow = page.get_workflow()
    if workflow is not None and Workflow.objects.filter(pk=workflow.pk, active=True).exists():
        page.save_revision()
        workflow.start(page, user=None)


def order_like_english(home, translated_home):
    """The Spanish menu in the English menu's order (translations are added last)."""
    translated_home = Page.objects.get(pk=translated_home.pk)
    for section in home.get_children():
        translation = section.get_translation_or_none(translated_home.locale)
        if translation is not None:
            translation.move(translated_home, pos="last-child")
            translated_home.refresh_from_db()
