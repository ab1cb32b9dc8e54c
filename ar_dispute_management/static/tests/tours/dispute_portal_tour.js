import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("ar_dispute_portal_tour", {
    steps: () => [
        {
            content: "Dispute the invoice",
            trigger: "a.o_dispute_raise_btn",
            run: "click",
        },
        {
            content: "Choose the reason",
            trigger: "select[name='category_id']",
            run: "selectByLabel Pricing",
        },
        {
            content: "Describe the problem",
            trigger: "textarea[name='description']",
            run: "edit The unit price is not the one we agreed.",
        },
        {
            content: "Send the dispute",
            trigger: "button.o_dispute_submit",
            run: "click",
        },
        {
            content: "The new dispute shows its status",
            trigger: "#dispute_status:contains('New')",
        },
        {
            content: "Go to the list of disputes",
            trigger: ".o_portal_submenu a[href='/my/disputes']",
            run: "click",
        },
        {
            content: "The dispute is in the list",
            trigger: "a.o_dispute_portal_link",
            run: "click",
        },
        {
            content: "Write a message",
            trigger: "#chatterRoot:shadow .o-mail-Composer-input",
            run: "edit Here is the signed price agreement.",
        },
        {
            content: "Attach a file",
            trigger: "#chatterRoot:shadow .o-mail-Composer input[type='file']:not(:visible)",
            async run() {
                const input = document
                    .querySelector("#chatterRoot")
                    .shadowRoot.querySelector(".o-mail-Composer input[type='file']");
                const transfer = new DataTransfer();
                transfer.items.add(
                    new File(["signed agreement"], "price_agreement.txt", {
                        type: "text/plain",
                    })
                );
                input.files = transfer.files;
                input.dispatchEvent(new Event("change", { bubbles: true }));
            },
        },
        {
            content: "Wait for the upload",
            trigger:
                "#chatterRoot:shadow .o-mail-AttachmentCard:not(.o-isUploading):contains(price_agreement.txt)",
        },
        {
            content: "Send the message",
            trigger: "#chatterRoot:shadow .o-mail-Composer-send:enabled",
            run: "click",
        },
        {
            content: "The message is in the chatter",
            trigger:
                "#chatterRoot:shadow .o-mail-Message:contains(Here is the signed price agreement.)",
        },
    ],
});
